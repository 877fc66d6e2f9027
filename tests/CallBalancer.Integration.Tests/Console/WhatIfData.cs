using CallBalancer.DevHost;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>The shared real-traffic folder (<c>../shared/data</c> beside the repository), when present.</summary>
internal static class WhatIfData
{
    /// <summary>A weekday of the 1999 bank's per-call records.</summary>
    public const string SampleDay = "1999-02-10";

    public static string? Directory()
    {
        for (var dir = new DirectoryInfo(AzuriteLauncher.RepositoryRoot()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
