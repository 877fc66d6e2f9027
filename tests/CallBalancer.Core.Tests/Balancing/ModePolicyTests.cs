using CallBalancer.Core.Balancing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Balancing;

public sealed class ModePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly ModePolicy _policy = new();

    private static QueueSnapshot Snapshot(int waiting, double oldestWait, params AgentState[] states) =>
        new("cards", Now.AddSeconds(-5), waiting, oldestWait,
            states.Select((s, i) => new AgentPresence($"a{i:D3}", s)).ToList());

    private static List<AgentModeState> AsCurrent(ModeDecision d) =>
        d.Agents.Select(a => new AgentModeState(a.AgentId, d.QueueId, a.Mode, a.Since, a.Reason, d.DecisionId, a.PendingMode)).ToList();

    private static int CrossSellCount(ModeDecision d) => d.Agents.Count(a => a.Mode == AgentMode.CrossSell);

    [Fact]
    public void No_snapshot_means_every_known_agent_is_service_only()
    {
        var current = new List<AgentModeState> { new("a1", "cards", AgentMode.CrossSell, Now.AddMinutes(-10), "r", "d0") };
        var d = _policy.Decide(new RebalanceInput(null, current, QueueSettings.Default, Now));
        Assert.Equal("no-snapshot", d.Rule);
        Assert.Equal(AgentMode.ServiceOnly, Assert.Single(d.Agents).Mode);
        Assert.True(d.HasChanges);
    }

    [Fact]
    public void Quiet_queue_keeps_the_reserve_idle_and_lets_the_rest_cross_sell()
    {
        var snapshot = Snapshot(0, 0, Enumerable.Repeat(AgentState.Available, 6).ToArray());
        var d = _policy.Decide(new RebalanceInput(snapshot, [], QueueSettings.Default with { IdleReserve = 2 }, Now));
        Assert.Equal("idle-reserve", d.Rule);
        Assert.Equal(4, CrossSellCount(d));
        Assert.Equal(2, d.Agents.Count(a => a.Mode == AgentMode.ServiceOnly));
        Assert.Equal(6, d.Inputs["idleAgents"]);
    }

    [Fact]
    public void Fewer_idle_agents_than_the_reserve_shrinks_cross_sell_by_the_shortfall()
    {
        // 10 staffed, 1 idle, reserve 2: 10 - 2 - (2 - 1) = 7.
        var states = Enumerable.Repeat(AgentState.OnCall, 9).Append(AgentState.Available).ToArray();
        var d = _policy.Decide(new RebalanceInput(Snapshot(0, 0, states), [], QueueSettings.Default with { IdleReserve = 2 }, Now));
        Assert.Equal(7, CrossSellCount(d));
    }

    [Fact]
    public void A_caller_waiting_past_the_emergency_limit_sends_everyone_back_to_service()
    {
        var quiet = _policy.Decide(new RebalanceInput(Snapshot(0, 0, Enumerable.Repeat(AgentState.Available, 8).ToArray()), [], QueueSettings.Default, Now));
        Assert.True(CrossSellCount(quiet) > 0);

        var busy = Snapshot(3, 61, Enumerable.Repeat(AgentState.OnCall, 8).ToArray());
        var d = _policy.Decide(new RebalanceInput(busy, AsCurrent(quiet), QueueSettings.Default with { EmergencyWaitSeconds = 60 }, Now));
        Assert.Equal("emergency-wait", d.Rule);
        Assert.Equal(0, CrossSellCount(d));
        Assert.Equal(CrossSellCount(quiet), d.Changes.Count());
    }

    [Fact]
    public void A_long_queue_is_an_emergency_even_when_nobody_has_waited_long()
    {
        var d = _policy.Decide(new RebalanceInput(Snapshot(12, 5, Enumerable.Repeat(AgentState.OnCall, 8).ToArray()), [],
            QueueSettings.Default with { EmergencyQueueLength = 10 }, Now));
        Assert.Equal("emergency-queue-length", d.Rule);
        Assert.Equal(0, CrossSellCount(d));
    }

    [Fact]
    public void A_stale_snapshot_is_not_trusted()
    {
        var old = Snapshot(0, 0, Enumerable.Repeat(AgentState.Available, 8).ToArray()) with { ObservedAt = Now.AddMinutes(-5) };
        var d = _policy.Decide(new RebalanceInput(old, [], QueueSettings.Default with { StaleSnapshotSeconds = 120 }, Now));
        Assert.Equal("stale-snapshot", d.Rule);
        Assert.Equal(0, CrossSellCount(d));
    }

    [Fact]
    public void While_callers_wait_below_the_limit_nobody_new_cross_sells_and_nobody_is_taken_away()
    {
        var quiet = _policy.Decide(new RebalanceInput(Snapshot(0, 0, Enumerable.Repeat(AgentState.Available, 6).ToArray()), [], QueueSettings.Default, Now));
        var before = quiet.Agents.Where(a => a.Mode == AgentMode.CrossSell).Select(a => a.AgentId).ToHashSet();
        var d = _policy.Decide(new RebalanceInput(Snapshot(1, 10, Enumerable.Repeat(AgentState.OnCall, 6).ToArray()), AsCurrent(quiet), QueueSettings.Default, Now.AddSeconds(15)));
        Assert.Equal("hold-while-waiting", d.Rule);
        Assert.Equal(before, d.Agents.Where(a => a.Mode == AgentMode.CrossSell).Select(a => a.AgentId).ToHashSet());
        Assert.False(d.HasChanges);
    }

    [Fact]
    public void Agents_not_taking_calls_never_cross_sell()
    {
        var d = _policy.Decide(new RebalanceInput(
            Snapshot(0, 0, AgentState.NotReady, AgentState.LoggedOut, AgentState.Available, AgentState.Available, AgentState.Available),
            [], QueueSettings.Default with { IdleReserve = 1 }, Now));
        Assert.Equal(AgentMode.ServiceOnly, d.Agents.Single(a => a.AgentId == "a000").Mode);
        Assert.Equal(AgentMode.ServiceOnly, d.Agents.Single(a => a.AgentId == "a001").Mode);
        Assert.Equal(2, CrossSellCount(d));
    }

    [Property(MaxTest = 300)]
    public Property Cross_sell_never_exceeds_staffed_minus_reserve_and_never_happens_in_an_emergency(
        byte[] stateCodes, NonNegativeInt waiting, NonNegativeInt oldestWait, byte reserve)
    {
        var states = stateCodes.Take(60).Select(b => (AgentState)(b % 5)).ToArray();
        var w = waiting.Get % 15;
        var snapshot = Snapshot(w, w == 0 ? 0 : oldestWait.Get % 120, states);
        var settings = QueueSettings.Default with { IdleReserve = reserve % 6 };
        var d = _policy.Decide(new RebalanceInput(snapshot, [], settings, Now));
        var staffed = states.Count(s => s.IsStaffed());
        var emergency = snapshot.OldestWaitSeconds >= settings.EmergencyWaitSeconds || w >= settings.EmergencyQueueLength;
        var onlyStaffedCrossSell = d.Agents.Where(a => a.Mode == AgentMode.CrossSell)
            .All(a => snapshot.Agents.Single(x => x.AgentId == a.AgentId).State.IsStaffed());
        return (CrossSellCount(d) <= Math.Max(0, staffed - settings.IdleReserve)).Label("within capacity")
            .And((!emergency || CrossSellCount(d) == 0).Label("emergency is service-only"))
            .And(onlyStaffedCrossSell.Label("only staffed agents cross-sell"))
            .And((d.Agents.Count == states.Length).Label("every agent decided"));
    }

    [Property(MaxTest = 300)]
    public bool Deciding_again_on_the_same_snapshot_changes_nothing(byte[] stateCodes, NonNegativeInt waiting)
    {
        var states = stateCodes.Take(60).Select(b => (AgentState)(b % 5)).ToArray();
        var w = waiting.Get % 15;
        var snapshot = Snapshot(w, w == 0 ? 0 : 30, states);
        var first = _policy.Decide(new RebalanceInput(snapshot, [], QueueSettings.Default, Now));
        var second = _policy.Decide(new RebalanceInput(snapshot, AsCurrent(first), QueueSettings.Default, Now.AddSeconds(15)));
        return !second.HasChanges;
    }
}
