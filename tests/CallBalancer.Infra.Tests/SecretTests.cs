namespace CallBalancer.Infra.Tests;

/// <summary>No key-based credential and no hard-coded cloud host anywhere in the compiled template.</summary>
[Collection(InfraCollection.Name)]
[Trait("Category", "Infra")]
public sealed class SecretTests(CompiledTemplateFixture fixture)
{
    private readonly CompiledTemplate template = fixture.Template;

    [Theory]
    [InlineData("listKeys")]
    [InlineData("listAccountSas")]
    [InlineData("listServiceSas")]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessSignature=")]
    [InlineData("DefaultEndpointsProtocol")]
    [InlineData("InstrumentationKey=")]
    public void Compiled_template_holds_no_key_based_connection_string(string marker)
    {
        Assert.DoesNotContain(marker, template.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("core.windows.net")]
    [InlineData("https://management.azure.com")]
    [InlineData("login.microsoftonline.com")]
    public void Cloud_hosts_come_from_the_environment_function_not_literals(string host)
    {
        Assert.DoesNotContain(host, template.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_output_exposes_the_webhook_secret()
    {
        Assert.DoesNotContain("webhookSigningSecret", template.Root["outputs"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
