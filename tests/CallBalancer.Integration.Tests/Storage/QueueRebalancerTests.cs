using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class QueueRebalancerTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Fact]
    public async Task A_quiet_queue_gets_cross_sell_agents_and_the_decision_is_logged_with_its_numbers()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        var decision = await Rebalancer().RebalanceAsync("cards");

        var modes = await Modes.GetQueueModesAsync("cards");
        Assert.Equal(4, modes.Count(m => m.State.Mode == AgentMode.CrossSell));
        var logged = Assert.Single(await Decisions.ListRecentAsync("cards", 10));
        Assert.Equal(decision.DecisionId, logged.DecisionId);
        Assert.Equal("idle-reserve", logged.Rule);
        Assert.Equal(6, logged.Inputs["idleAgents"]);
        Assert.Equal(6, logged.Changes.Count);
    }

    [Fact]
    public async Task Rebalancing_again_with_nothing_new_writes_nothing()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        await Rebalancer().RebalanceAsync("cards");
        var before = (await Modes.GetQueueModesAsync("cards")).ToDictionary(m => m.State.AgentId, m => m.ETag);

        Time.Advance(TimeSpan.FromSeconds(15));
        var again = await Rebalancer().RebalanceAsync("cards");
        Assert.False(again.HasChanges);
        var after = (await Modes.GetQueueModesAsync("cards")).ToDictionary(m => m.State.AgentId, m => m.ETag);
        Assert.Equal(before, after);
        Assert.Single(await Decisions.ListRecentAsync("cards", 10));
    }

    [Fact]
    public async Task An_emergency_snapshot_brings_every_agent_back_to_service_at_the_next_rebalance()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 8));
        await Rebalancer().RebalanceAsync("cards");
        Time.Advance(TimeSpan.FromSeconds(15));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 8, waiting: 4, oldestWait: 75, state: AgentState.OnCall));
        var d = await Rebalancer().RebalanceAsync("cards");

        Assert.Equal("emergency-wait", d.Rule);
        Assert.All(await Modes.GetQueueModesAsync("cards"), m => Assert.Equal(AgentMode.ServiceOnly, m.State.Mode));
        var log = await Decisions.ListRecentAsync("cards", 10);
        Assert.Equal(["emergency-wait", "idle-reserve"], log.Select(l => l.Rule));
    }

    [Fact]
    public async Task Overlapping_rebalances_of_one_queue_end_consistent_with_every_agent_recorded_once()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("busy", 120));
        var runs = Enumerable.Range(0, 6).Select(_ => Task.Run(() => Rebalancer().RebalanceAsync("busy")));
        var decisions = await Task.WhenAll(runs);

        var modes = await Modes.GetQueueModesAsync("busy");
        Assert.Equal(120, modes.Count);
        Assert.Equal(118, modes.Count(m => m.State.Mode == AgentMode.CrossSell));

        // Every stored mode points at a decision that was logged.
        var logged = (await Decisions.ListRecentAsync("busy", 100)).Select(d => d.DecisionId).ToHashSet();
        Assert.All(modes, m => Assert.Contains(m.State.DecisionId, logged));
        Assert.Contains(decisions, d => d.HasChanges);
    }

    [Fact]
    public async Task A_run_rebalances_every_queue_and_records_itself()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("q1", 4));
        await Snapshots.SaveLatestAsync(QuietSnapshot("q2", 5));
        var service = new RebalanceService(Snapshots, Rebalancer(), Runs, Time);
        var summary = await service.RunAsync();

        Assert.Equal(2, summary.Queues);
        Assert.Equal(9, summary.Flips);
        Assert.Equal(0, summary.Failures);
        var last = await Runs.GetLastRebalanceAsync();
        Assert.Equal(Time.GetUtcNow(), last!.CompletedAt);
    }

    [Fact]
    public async Task An_agent_who_returns_to_a_queue_is_found_there_again_once_it_changes_mode_there()
    {
        // "mover" works in cards, moves to loans, then comes back to cards, where its old row is still kept.
        QueueSnapshot Snapshot(string queueId, bool withMover) => new(queueId, Time.GetUtcNow().AddSeconds(-2), 0, 0,
            Enumerable.Range(0, 5).Select(i => new AgentPresence($"{queueId}-{i}", AgentState.Available))
                .Concat(withMover ? [new AgentPresence("mover", AgentState.Available)] : [])
                .ToList());

        async Task Step(bool inCards, QueueSettings? settings = null)
        {
            await Snapshots.SaveLatestAsync(Snapshot("cards", inCards));
            await Snapshots.SaveLatestAsync(Snapshot("loans", !inCards));
            await Rebalancer(settings).RebalanceAsync("cards");
            await Rebalancer(settings).RebalanceAsync("loans");
            Time.Advance(TimeSpan.FromMinutes(6)); // past the dwell, so every flip the policy wants is allowed
        }

        await Step(inCards: true);
        Assert.Equal("cards", (await Modes.GetAgentModeAsync("mover"))!.QueueId);
        await Step(inCards: false);
        Assert.Equal("loans", (await Modes.GetAgentModeAsync("mover"))!.QueueId);

        // Back in cards, still service-only there: the desktop reads the row loans made service-only when it left.
        await Step(inCards: true);
        Assert.Equal(AgentMode.ServiceOnly, (await Modes.GetAgentModeAsync("mover"))!.Mode);

        // Once cards lets it cross-sell (no idle reserve: everyone may), that write points the index at cards again.
        await Step(inCards: true, QueueSettings.Default with { IdleReserve = 0 });
        var mode = (await Modes.GetAgentModeAsync("mover"))!;
        Assert.Equal("cards", mode.QueueId);
        Assert.Equal(AgentMode.CrossSell, mode.Mode);
    }
}
