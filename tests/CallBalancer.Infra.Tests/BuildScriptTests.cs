namespace CallBalancer.Infra.Tests;

/// <summary>
/// infra/build.sh itself: it must fail on any diagnostic, although `bicep build` exits 0 on warnings,
/// and it must not reach a module registry.
/// </summary>
[Collection(InfraCollection.Name)]
[Trait("Category", "Infra")]
public sealed class BuildScriptTests : IDisposable
{
    private readonly string directory =
        Path.Combine(Path.GetTempPath(), "callbalancer-build-script-" + Guid.NewGuid().ToString("N"));

    public BuildScriptTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Main_template_builds_with_no_diagnostic()
    {
        var result = BicepBuild.Run(RepositoryRoot.Combine("infra", "main.bicep"), Path.Combine(directory, "main.json"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.StandardError);
        Assert.True(File.Exists(Path.Combine(directory, "main.json")));
    }

    [Fact]
    public void A_clean_file_compiles_to_a_template()
    {
        var result = Build("clean", """
            @description('A name.')
            param name string

            output upper string = toUpper(name)
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("toUpper(parameters('name'))", File.ReadAllText(Output("clean")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unused_parameter_warning_fails_the_build_and_leaves_no_template()
    {
        var result = Build("unused", """
            param unused string

            output answer int = 42
            """);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Warning no-unused-params", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Output("unused")), "A template that compiled with a warning must not be left behind.");
    }

    [Fact]
    public void A_hard_coded_cloud_url_fails_the_build()
    {
        var result = Build("hostname", """
            output endpoint string = 'https://management.azure.com/'
            """);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-hardcoded-env-urls", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_type_without_known_schema_fails_the_build()
    {
        var result = Build("unknown-api", """
            resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2001-01-01' = {
              name: 'id-test'
              location: 'westeurope'
            }
            """);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("BCP081", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_module_fails_because_the_build_never_restores()
    {
        var result = Build("registry", """
            module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
              name: 'identity'
              params: {
                name: 'id-test'
              }
            }
            """);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("BCP190", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_file_fails()
    {
        var result = BicepBuild.Run(Path.Combine(directory, "missing.bicep"), Output("missing"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not found", result.StandardError, StringComparison.Ordinal);
    }

    private BicepBuildResult Build(string name, string bicep)
    {
        var input = Path.Combine(directory, name + ".bicep");
        File.WriteAllText(input, bicep + Environment.NewLine);
        return BicepBuild.Run(input, Output(name));
    }

    private string Output(string name) => Path.Combine(directory, "out", name + ".json");
}
