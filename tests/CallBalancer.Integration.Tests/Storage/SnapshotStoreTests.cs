using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class SnapshotStoreTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Fact]
    public async Task A_snapshot_round_trips_through_the_table_with_every_agent_and_state()
    {
        var states = Enum.GetValues<AgentState>();
        var snapshot = new QueueSnapshot("cards", Time.GetUtcNow(), 3, 12.5,
            Enumerable.Range(0, 10).Select(i => new AgentPresence($"agent-{i}", states[i % states.Length])).ToList());
        Assert.True(await Snapshots.SaveLatestAsync(snapshot));

        var read = await Snapshots.GetLatestAsync("cards");
        Assert.NotNull(read);
        Assert.Equal(snapshot.ObservedAt, read!.ObservedAt);
        Assert.Equal(3, read.WaitingCalls);
        Assert.Equal(12.5, read.OldestWaitSeconds);
        Assert.Equal(snapshot.Agents, read.Agents);
    }

    [Fact]
    public async Task A_large_queue_is_split_across_properties_and_read_back_whole()
    {
        // 2,000 agents with 40-character ids is about 84K characters: more than two 32K string properties.
        var snapshot = new QueueSnapshot("big", Time.GetUtcNow(), 0, 0,
            Enumerable.Range(0, 2000).Select(i => new AgentPresence($"agent-{i:D6}-{new string('x', 27)}", AgentState.OnCall)).ToList());
        await Snapshots.SaveLatestAsync(snapshot);
        var read = await Snapshots.GetLatestAsync("big");
        Assert.Equal(snapshot.Agents, read!.Agents);
    }

    [Fact]
    public async Task An_older_or_repeated_snapshot_never_replaces_a_newer_one()
    {
        var newer = QuietSnapshot("q1", 3);
        var older = QuietSnapshot("q1", 5) with { ObservedAt = newer.ObservedAt.AddSeconds(-30) };
        Assert.True(await Snapshots.SaveLatestAsync(newer));
        Assert.False(await Snapshots.SaveLatestAsync(older));
        Assert.False(await Snapshots.SaveLatestAsync(newer with { WaitingCalls = 9 }));

        var read = await Snapshots.GetLatestAsync("q1");
        Assert.Equal(3, read!.Agents.Count);
        Assert.Equal(0, read.WaitingCalls);
    }

    [Fact]
    public async Task Concurrent_posts_of_different_ages_leave_the_newest()
    {
        var start = Time.GetUtcNow();
        var posts = Enumerable.Range(0, 16)
            .Select(i => QuietSnapshot("race", 2, waiting: i, oldestWait: i == 0 ? 0 : 1) with { ObservedAt = start.AddSeconds(-i) })
            .Reverse()
            .Select(s => Snapshots.SaveLatestAsync(s));
        await Task.WhenAll(posts);
        var read = await Snapshots.GetLatestAsync("race");
        Assert.Equal(start, read!.ObservedAt);
        Assert.Equal(0, read.WaitingCalls);
    }

    [Fact]
    public async Task Listing_returns_the_latest_snapshot_of_each_queue()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("a", 1));
        await Snapshots.SaveLatestAsync(QuietSnapshot("b", 2));
        var all = await Snapshots.ListLatestAsync();
        Assert.Equal(["a", "b"], all.Select(s => s.QueueId).Order());
    }
}
