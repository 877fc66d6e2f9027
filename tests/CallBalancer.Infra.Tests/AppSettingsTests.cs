using System.Text.Json.Nodes;

namespace CallBalancer.Infra.Tests;

/// <summary>The Function App's app settings, read from the compiled siteConfig.appSettings.</summary>
[Collection(InfraCollection.Name)]
[Trait("Category", "Infra")]
public sealed class AppSettingsTests(CompiledTemplateFixture fixture)
{
    private readonly TemplateResource app = fixture.Template.SingleOfType("Microsoft.Web/sites");

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName")]
    [InlineData("AzureWebJobsStorage__credential")]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("AZURE_CLIENT_ID")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    [InlineData("REBALANCE_SCHEDULE")]
    [InlineData("REBALANCE_WORK_QUEUE")]
    [InlineData("FORECAST_SCHEDULE")]
    [InlineData("RETENTION_SCHEDULE")]
    [InlineData("KPI_ROLLUP_SCHEDULE")]
    [InlineData("CallBalancer__Storage__TableEndpoint")]
    [InlineData("CallBalancer__Storage__QueueEndpoint")]
    [InlineData("CallBalancer__Storage__ManagedIdentityClientId")]
    [InlineData("CallBalancer__Retention__Days")]
    [InlineData("CallBalancer__Rebalance__WorkQueueName")]
    [InlineData("CallBalancer__Rebalance__QueuesPerWorkItem")]
    [InlineData("CallBalancer__Webhooks__SigningSecret")]
    [InlineData("CallBalancer__Twilio__AuthToken")]
    [InlineData("CallBalancer__PublicBaseUrl")]
    public void Setting_is_present_exactly_once(string name)
    {
        Assert.Single(Settings(), s => s.Name == name);
    }

    [Fact]
    public void Host_storage_is_identity_based_with_the_user_assigned_client_id()
    {
        Assert.Equal("managedidentity", Value("AzureWebJobsStorage__credential"));
        ModuleOutput.AssertReferences(Value("AzureWebJobsStorage__accountName"), "storage", "name");
        ModuleOutput.AssertReferences(Value("AzureWebJobsStorage__clientId"), "identity", "clientId");
        ModuleOutput.AssertReferences(Value("CallBalancer__Storage__ManagedIdentityClientId"), "identity", "clientId");

        // A plain AzureWebJobsStorage setting would be a connection string.
        Assert.DoesNotContain(Settings(), s => s.Name == "AzureWebJobsStorage");
    }

    [Fact]
    public void Application_insights_authenticates_with_the_identity_through_entra()
    {
        var authentication = Value("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        Assert.Contains("ClientId={0};Authorization=AAD", authentication, StringComparison.Ordinal);
        Assert.Contains("parameters('identityClientId')", authentication, StringComparison.Ordinal);
        ModuleOutput.AssertReferences(Value("APPLICATIONINSIGHTS_CONNECTION_STRING"), "monitoring", "applicationInsightsConnectionString");
    }

    [Theory]
    [InlineData("REBALANCE_SCHEDULE", "*/15 * * * * *")]
    [InlineData("FORECAST_SCHEDULE", "0 1,16,31,46 * * * *")]
    [InlineData("RETENTION_SCHEDULE", "0 30 2 * * *")]
    [InlineData("KPI_ROLLUP_SCHEDULE", "0 45 2 * * *")]
    public void Schedules_default_to_six_field_cron(string name, string expected)
    {
        var value = Value(name);
        Assert.Equal(expected, value);
        Assert.Equal(6, value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("CallBalancer__Storage__TableEndpoint", "https://{0}.table.{1}")]
    [InlineData("CallBalancer__Storage__QueueEndpoint", "https://{0}.queue.{1}")]
    public void Storage_endpoints_use_the_cloud_suffix_of_the_deployment_environment(string name, string format)
    {
        var setting = Setting(name);
        var expression = setting.Value!.GetValue<string>();
        Assert.Contains(format, expression, StringComparison.Ordinal);
        Assert.Contains("parameters('storageAccountName')", expression, StringComparison.Ordinal);
        Assert.Contains("variables('storageSuffix')", expression, StringComparison.Ordinal);
        Assert.Equal("[environment().suffixes.storage]", app.Scope.Template["variables"]!["storageSuffix"]!.GetValue<string>());
    }

    [Fact]
    public void Numeric_callbalancer_settings_are_strings_of_their_parameters_with_defaults()
    {
        Assert.Equal("[string(parameters('retentionDays'))]", Setting("CallBalancer__Retention__Days").Value!.GetValue<string>());
        Assert.Equal(90, CompiledTemplate.Resolve(app.Scope, JsonValue.Create("[parameters('retentionDays')]"))!.GetValue<int>());
        Assert.Equal(25, CompiledTemplate.Resolve(app.Scope, JsonValue.Create("[parameters('rebalanceQueuesPerWorkItem')]"))!.GetValue<int>());
        ModuleOutput.AssertReferences(Value("CallBalancer__Rebalance__WorkQueueName"), "storage", "workQueueName");
    }

    [Theory]
    [InlineData("webhookSigningSecret")]
    [InlineData("twilioAuthToken")]
    [InlineData("supervisorAuthClientSecret")]
    public void Webhook_secret_is_a_secure_parameter_all_the_way_down(string parameter)
    {
        Assert.Equal("securestring", app.Scope.Template["parameters"]![parameter]!["type"]!.GetValue<string>().ToLowerInvariant());
        var root = app.Scope.Parent!.Template["parameters"]![parameter]!;
        Assert.Equal("securestring", root["type"]!.GetValue<string>().ToLowerInvariant());
        Assert.Equal(string.Empty, root["defaultValue"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    public void Settings_that_flex_consumption_rejects_are_absent(string name)
    {
        Assert.DoesNotContain(Settings(), s => s.Name == name);
    }

    private List<(string Name, JsonNode? Value)> Settings()
    {
        var array = app.Node["properties"]?["siteConfig"]?["appSettings"] as JsonArray;
        Assert.NotNull(array);
        return array.Select(s => (s!["name"]!.GetValue<string>(), s["value"])).ToList();
    }

    private (string Name, JsonNode? Value) Setting(string name) => Assert.Single(Settings(), s => s.Name == name);

    /// <summary>The setting's value, followed through module parameters to the top-level default where it is one.</summary>
    private string Value(string name)
    {
        var resolved = CompiledTemplate.Resolve(app.Scope, Setting(name).Value);
        Assert.NotNull(resolved);
        return resolved.GetValue<string>();
    }
}
