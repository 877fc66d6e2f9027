using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>Supervisor overrides reach the policy at the next rebalance, and the logged decision names them.</summary>
public sealed class OverridesInRebalanceTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private SupervisionStore Store => new(Tables);

    private QueueRebalancer SupervisedRebalancer() =>
        new(Snapshots, Modes, Decisions, new TableQueueSettingsSource(Store, QueueSettings.Default), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero }, supervision: Store);

    private Task Set(OverrideScope scope, string? agentId, AgentMode? mode, DateTimeOffset? until = null) =>
        Store.SetOverrideAsync(new ModeOverride(ModeOverride.IdFor(scope, agentId), "cards", scope, agentId, mode, until, "test", "sue", Time.GetUtcNow()), "test");

    [Fact]
    public async Task A_forced_agent_keeps_its_mode_and_the_decision_says_a_supervisor_did_it()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        await SupervisedRebalancer().RebalanceAsync("cards"); // new agents serve their minimum dwell first
        await Set(OverrideScope.Agent, "cards-agent0000", AgentMode.ServiceOnly);
        Time.Advance(TimeSpan.FromMinutes(6));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        var decision = await SupervisedRebalancer().RebalanceAsync("cards");
        Assert.Equal(AgentMode.ServiceOnly, decision.Agents.Single(a => a.AgentId == "cards-agent0000").Mode);
        Assert.Contains(decision.Agents, a => a.Mode == AgentMode.CrossSell);
        Assert.Contains("set by sue for this agent until cleared", decision.Agents.Single(a => a.AgentId == "cards-agent0000").Reason, StringComparison.Ordinal);
        var logged = (await Decisions.ListRecentAsync("cards", 1))[0];
        Assert.Equal(1, logged.Inputs["override.forcedAgents"]);
        Assert.Contains("Supervisor:", logged.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whole_queue_forced_to_cross_sell_until_a_time_lapses_by_itself()
    {
        await Set(OverrideScope.Queue, null, AgentMode.CrossSell, Time.GetUtcNow().AddMinutes(1));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        var forced = await SupervisedRebalancer().RebalanceAsync("cards");
        Assert.All(forced.Agents, a => Assert.Equal(AgentMode.CrossSell, a.Mode));

        Time.Advance(TimeSpan.FromMinutes(10));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        var after = await SupervisedRebalancer().RebalanceAsync("cards");
        Assert.Equal(2, after.Agents.Count(a => a.Mode == AgentMode.ServiceOnly)); // back to the policy: a reserve of 2 idle
        Assert.DoesNotContain("override.forcedAgents", after.Inputs.Keys);
    }

    [Fact]
    public async Task When_an_override_lapses_no_desktop_still_reads_it_as_its_reason()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await SupervisedRebalancer().RebalanceAsync("cards");
        await Set(OverrideScope.Agent, "cards-agent0000", AgentMode.ServiceOnly, Time.GetUtcNow().AddMinutes(1));
        await Set(OverrideScope.Agent, "cards-agent0001", AgentMode.CrossSell, Time.GetUtcNow().AddMinutes(1));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await SupervisedRebalancer().RebalanceAsync("cards");
        var forced = (await Modes.GetQueueModesAsync("cards")).ToDictionary(m => m.State.AgentId, m => m.State);
        Assert.Contains("set by sue", forced["cards-agent0000"].Reason, StringComparison.Ordinal);

        Time.Advance(TimeSpan.FromMinutes(10));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        var after = await SupervisedRebalancer().RebalanceAsync("cards");
        var modes = (await Modes.GetQueueModesAsync("cards")).ToDictionary(m => m.State.AgentId, m => m.State);
        Assert.All(modes.Values, m => Assert.DoesNotContain("set by sue", m.Reason, StringComparison.Ordinal));
        Assert.All(modes.Values, m => Assert.False(m.Forced));

        // The two agents the overrides had set now carry this decision's reason, whatever mode it left them in.
        foreach (var id in new[] { "cards-agent0000", "cards-agent0001" })
        {
            Assert.Equal(after.DecisionId, modes[id].DecisionId);
            Assert.Equal(after.Agents.Single(a => a.AgentId == id).Reason, modes[id].Reason);
        }

        // Rewritten once: the next decision leaves them alone.
        Time.Advance(TimeSpan.FromSeconds(15));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        var next = await SupervisedRebalancer().RebalanceAsync("cards");
        Assert.DoesNotContain(next.Agents, a => a.Changed);
    }

    [Fact]
    public async Task A_frozen_queue_keeps_its_modes_until_an_emergency()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 5));
        await SupervisedRebalancer().RebalanceAsync("cards");
        Time.Advance(TimeSpan.FromMinutes(6));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 5));
        var before = await SupervisedRebalancer().RebalanceAsync("cards");
        Assert.Equal(3, before.Agents.Count(a => a.Mode == AgentMode.CrossSell));
        await Set(OverrideScope.Freeze, null, null);
        Time.Advance(TimeSpan.FromMinutes(10));

        // More idle agents would normally change who cross-sells; frozen, nothing moves.
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 8));
        var frozen = await SupervisedRebalancer().RebalanceAsync("cards");
        Assert.DoesNotContain(frozen.Agents.Where(a => before.Agents.Any(b => b.AgentId == a.AgentId)), a => a.Changed);
        Assert.Equal("frozen", frozen.Rule);

        Time.Advance(TimeSpan.FromSeconds(15));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 8, waiting: 30, oldestWait: 200, state: AgentState.OnCall));
        var emergency = await SupervisedRebalancer().RebalanceAsync("cards");
        Assert.All(emergency.Agents, a => Assert.NotEqual(AgentMode.CrossSell, a.PendingMode ?? a.Mode));
    }
}
