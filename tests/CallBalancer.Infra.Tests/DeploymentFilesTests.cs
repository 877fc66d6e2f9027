using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CallBalancer.Infra.Tests;

/// <summary>main.parameters.json and azure.yaml agree with the compiled template and the repository.</summary>
[Collection(InfraCollection.Name)]
[Trait("Category", "Infra")]
public sealed partial class DeploymentFilesTests(CompiledTemplateFixture fixture)
{
    private readonly JsonObject templateParameters = fixture.Template.Root["parameters"]!.AsObject();

    [Fact]
    public void Every_parameter_in_the_parameters_file_is_declared_by_the_template()
    {
        var unknown = ParametersFile().Select(p => p.Key).Where(name => !templateParameters.ContainsKey(name)).ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void Every_parameter_without_a_default_is_supplied_by_the_parameters_file()
    {
        var supplied = ParametersFile().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var missing = templateParameters
            .Where(p => p.Value!["defaultValue"] is null && !supplied.Contains(p.Key))
            .Select(p => p.Key)
            .ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("environmentName", "${AZURE_ENV_NAME}")]
    [InlineData("location", "${AZURE_LOCATION}")]
    public void Azd_environment_values_feed_the_required_parameters(string parameter, string expected)
    {
        Assert.Equal(expected, ParametersFile()[parameter]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Azd_fallback_values_in_the_parameters_file_match_the_template_defaults()
    {
        // "${REBALANCE_SCHEDULE=*/15 * * * * *}" must not drift from the default the template documents.
        var fallbacks = ParametersFile()
            .Select(p => (Name: p.Key, Match: AzdFallback().Match(p.Value!["value"]!.ToString())))
            .Where(p => p.Match.Success)
            .ToList();
        Assert.NotEmpty(fallbacks);
        Assert.All(fallbacks, p => Assert.Equal(
            templateParameters[p.Name]!["defaultValue"]!.ToString(),
            p.Match.Groups[1].Value));
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_the_api_function_service()
    {
        var yaml = File.ReadAllText(RepositoryRoot.Combine("azure.yaml"));
        Assert.Matches(@"(?m)^services:\s*$\n^  api:\s*$", yaml.ReplaceLineEndings("\n"));
        Assert.Matches(@"(?m)^\s+language:\s*dotnet\s*$", yaml);
        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", yaml);

        var project = ProjectPath().Match(yaml);
        Assert.True(project.Success, "azure.yaml names no project.");
        var directory = RepositoryRoot.Combine(project.Groups[1].Value);
        Assert.True(File.Exists(Path.Combine(directory, "CallBalancer.Functions.csproj")), $"No Functions project in {directory}.");
    }

    [Fact]
    public void Azure_yaml_points_at_the_infra_folder_and_main_module()
    {
        var yaml = File.ReadAllText(RepositoryRoot.Combine("azure.yaml"));
        Assert.Matches(@"(?m)^\s+path:\s*infra\s*$", yaml);
        Assert.Matches(@"(?m)^\s+module:\s*main\s*$", yaml);
        Assert.True(File.Exists(RepositoryRoot.Combine("infra", "main.bicep")));
        Assert.True(File.Exists(RepositoryRoot.Combine("infra", "main.parameters.json")));
    }

    private static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("infra", "main.parameters.json")))!["parameters"]!.AsObject();

    [GeneratedRegex(@"^\$\{[A-Z0-9_]+=(.*)\}$")]
    private static partial Regex AzdFallback();

    [GeneratedRegex(@"(?m)^\s+project:\s*\./?(\S+?)/?\s*$")]
    private static partial Regex ProjectPath();
}
