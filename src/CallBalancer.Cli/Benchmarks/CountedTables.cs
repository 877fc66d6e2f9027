using CallBalancer.Storage;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>The tables of one benchmark run: a table prefix of their own, every storage request counted.</summary>
internal static class CountedTables
{
    public static CallBalancerTables Create(string connectionString, StorageRequestCounter counter) => new(
        new StorageOptions { ConnectionString = connectionString, TablePrefix = "bench" + Guid.NewGuid().ToString("N")[..8] },
        o => o.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall));
}
