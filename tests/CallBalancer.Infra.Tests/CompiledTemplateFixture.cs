namespace CallBalancer.Infra.Tests;

/// <summary>
/// Compiles infra/main.bicep once per test run with infra/build.sh into a fresh temporary folder, so the tests
/// always read what the current Bicep compiles to, never a stale .tools/infra/main.json.
/// </summary>
public sealed class CompiledTemplateFixture : IDisposable
{
    private readonly string outputDirectory =
        Path.Combine(Path.GetTempPath(), "callbalancer-infra-tests-" + Guid.NewGuid().ToString("N"));

    public CompiledTemplateFixture()
    {
        Directory.CreateDirectory(outputDirectory);
        var outputFile = Path.Combine(outputDirectory, "main.json");
        BuildResult = BicepBuild.Run(RepositoryRoot.Combine("infra", "main.bicep"), outputFile);
        if (BuildResult.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/build.sh failed on infra/main.bicep: {BuildResult}");
        }

        Template = new CompiledTemplate(File.ReadAllText(outputFile));
    }

    internal BicepBuildResult BuildResult { get; }

    internal CompiledTemplate Template { get; }

    public void Dispose() => Directory.Delete(outputDirectory, recursive: true);
}

/// <summary>
/// One collection for every infra test: they share the compiled template, and running them one after another
/// keeps two first runs from downloading the Bicep CLI into .tools/ at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<CompiledTemplateFixture>
{
    public const string Name = "Infra";
}
