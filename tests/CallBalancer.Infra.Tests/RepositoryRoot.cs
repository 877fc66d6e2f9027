namespace CallBalancer.Infra.Tests;

/// <summary>Finds the repository root (the folder holding CallBalancer.sln and infra/build.sh).</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        // Walk up from the test binaries (tests/CallBalancer.Infra.Tests/bin/<config>/net10.0/).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CallBalancer.sln"))
                && File.Exists(System.IO.Path.Combine(dir.FullName, "infra", "build.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} holds both CallBalancer.sln and infra/build.sh.");
    }
}
