using System.Text.Json;
using CallBalancer.Cli.Benchmarks.Load;
using CallBalancer.Storage;

namespace CallBalancer.Core.Tests.Load;

/// <summary>The load simulation's arithmetic on hand-made samples: per-second peaks and means per partition and per account.</summary>
public sealed class LoadReportTests
{
    private const long Start = 1_000;

    private static StorageLoadSample Table(string source, string table, string partition, long second, long requests, long written, long read) =>
        new(source, "table", table, partition, second, requests, written > 0 ? requests : 0, written, read);

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public void A_partitions_peak_is_its_busiest_second_summed_over_sources_and_its_mean_is_over_the_whole_window()
    {
        var samples = new[]
        {
            Table("rebalance", "loadAgentModes", "q1", Start + 2, 1, 0, 40),
            Table("desktop", "loadAgentModes", "q1", Start + 2, 10, 0, 10),
            Table("desktop", "loadAgentModes", "q1", Start + 3, 5, 0, 5),
            Table("rebalance", "loadDecisions202611", "q1", Start + 2, 1, 1, 0),
            Table("rebalance", "loadSnapshots", "*", Start + 2, 1, 0, 2),
            Table("seed", "loadAgentModes", "q1", Start + 1, 1, 500, 0),        // not a window source
            Table("desktop", "loadAgentModes", "q1", Start + 10, 1000, 0, 1000), // after the window
        };
        var partitions = Json(new LoadReport(samples, Start, 10, ["rebalance", "desktop"]).Partitions(2000, 2000, top: 5));

        var top = partitions.GetProperty("top")[0];
        Assert.Equal("AgentModes", top.GetProperty("table").GetString());
        Assert.Equal(50, top.GetProperty("peakEntitiesPerSecond").GetDouble());
        Assert.Equal(5.5, top.GetProperty("meanEntitiesPerSecond").GetDouble());
        Assert.Equal(0.025, top.GetProperty("peakShareOfTarget").GetDouble());
        Assert.True(partitions.GetProperty("hottestByTable").TryGetProperty("Decisions", out _), "month tables are reported as one");
        Assert.Equal(0.2, partitions.GetProperty("crossPartitionScans").GetProperty("Snapshots").GetProperty("entitiesReadPerSecond").GetDouble());
        Assert.True(partitions.GetProperty("allUnderTarget").GetBoolean());
    }

    [Fact]
    public void Account_rates_count_every_second_of_the_window_including_quiet_ones()
    {
        var samples = new[]
        {
            Table("events", "loadCalls", "c00", Start, 30, 30, 0),
            Table("events", "loadTelephonyIntervals", "q1|20261124|00", Start, 10, 10, 0),
            Table("events", "loadCalls", "c00", Start + 3, 20, 20, 0),
        };
        var account = Json(new LoadReport(samples, Start, 4, ["events"]).Account(20_000, 20_000, forecastPerSecond: 0.5));
        var table = account.GetProperty("table");
        Assert.Equal(40, table.GetProperty("transactionsPerSecondPeak").GetDouble());
        Assert.Equal((40 + 0 + 0 + 20) / 4.0 + 0.5, table.GetProperty("transactionsPerSecondMean").GetDouble());
        Assert.Equal(0.002, table.GetProperty("peakShareOfTarget").GetDouble());
    }

    [Fact]
    public void Per_agent_per_day_scales_the_window_rates_to_a_day()
    {
        var samples = new[] { Table("rebalance", "loadAgentModes", "q1", Start, 60, 0, 600) };
        var options = new LoadOptions(100, 4, 60, 0, 0.8, 180, 5, 15, 25, 15, 16, 1);
        var forecast = new LoadTotals(300, 0, 0, 0, 0, 0, new Dictionary<string, object>());
        var perDay = Json(new LoadReport(samples, Start, 60, ["rebalance"]).PerAgentPerDay(100, 0, options, new Dictionary<string, long>(), forecast));

        // 60 requests in 60 s = 1/s = 86,400 a day over 100 agents; the forecast's 300 per 5-minute run = 1/s as well.
        Assert.Equal(864, perDay.GetProperty("storageTransactions").GetProperty("rebalance").GetDouble());
        Assert.Equal(864, perDay.GetProperty("storageTransactions").GetProperty("forecast").GetDouble());

        // One execution per 15-second tick (decided inline), 5,760 a day.
        Assert.Equal(57.6, perDay.GetProperty("executions").GetProperty("rebalance").GetDouble());
    }
}
