namespace CallBalancer.Cli;

/// <summary>Finds the shared real-data folder (<c>../shared/data</c> beside the repository) from wherever the tool runs.</summary>
internal static class RepositoryPaths
{
    /// <summary>
    /// The <c>shared/data</c> folder found by walking up from the current directory and then from the tool's own
    /// folder; <c>CALLBALANCER_DATA</c> overrides. Throws a usage error naming what was tried when none exists.
    /// </summary>
    public static string SharedDataDirectory()
    {
        var env = Environment.GetEnvironmentVariable("CALLBALANCER_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new CliUsageException("Cannot find shared/data above the current directory; set CALLBALANCER_DATA or pass --data.");
    }

    /// <summary>A file of the shared data folder, e.g. <c>bank_calls_2003_5min.csv</c>.</summary>
    public static string SharedDataFile(string fileName) => Path.Combine(SharedDataDirectory(), fileName);
}
