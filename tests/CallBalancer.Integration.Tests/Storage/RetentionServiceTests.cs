using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class RetentionServiceTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private async Task<List<string>> DecisionTablesAsync()
    {
        var names = new List<string>();
        await foreach (var t in Tables.Service.QueryAsync(t => t.Name.CompareTo(Tables.Names.Decisions) >= 0 && t.Name.CompareTo(Tables.Names.Decisions + "~") < 0))
        {
            names.Add(t.Name);
        }

        return names;
    }

    [Fact]
    public async Task Whole_months_older_than_the_retention_are_dropped_and_recent_ones_kept()
    {
        // Decisions in July, September and November 2026, on a clock of this test's own (time only moves forward).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 10, 0, 0, 0, TimeSpan.Zero));
        var decisions = new DecisionStore(Tables, clock);
        ModeDecision Decision(string id) => new(id, "cards", clock.GetUtcNow(), "idle-reserve", "why", 1, [], new Dictionary<string, double>());
        await decisions.AppendAsync(Decision("july"));
        clock.SetUtcNow(new DateTimeOffset(2026, 9, 20, 0, 0, 0, TimeSpan.Zero));
        await decisions.AppendAsync(Decision("september"));
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        await decisions.AppendAsync(Decision("november"));

        var result = await new RetentionService(Tables, clock).RunAsync(TimeSpan.FromDays(60));

        // Cut-off 29 Sep: July and August's ends are older (July dropped; August never existed); September is kept
        // because part of it is still inside the period.
        Assert.Equal([Tables.Names.DecisionsFor(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero))], result.DroppedTables);
        Assert.Equal(
            new[] { "202609", "202611" }.Select(m => Tables.Names.Decisions + m).Order(),
            (await DecisionTablesAsync()).Order());
        Assert.Equal("november", Assert.Single(await decisions.ListRecentAsync("cards", 10)).DecisionId);

        var again = await new RetentionService(Tables, clock).RunAsync(TimeSpan.FromDays(60));
        Assert.Empty(again.DroppedTables);
    }

    [Fact]
    public async Task Snapshots_of_queues_silent_since_before_the_cutoff_are_removed()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("old", 2) with { ObservedAt = Time.GetUtcNow().AddDays(-40) });
        await Snapshots.SaveLatestAsync(QuietSnapshot("fresh", 2));
        var result = await new RetentionService(Tables, Time).RunAsync(TimeSpan.FromDays(35));
        Assert.Equal(1, result.SnapshotsRemoved);
        Assert.Equal(["fresh"], (await Snapshots.ListLatestAsync()).Select(s => s.QueueId));
    }
}
