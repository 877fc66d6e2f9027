using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Supervision;

public sealed class ModeOverridesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero); // a Wednesday

    private static ModeOverride Agent(string id, AgentMode mode, DateTimeOffset? until = null) =>
        new(ModeOverride.IdFor(OverrideScope.Agent, id), "q", OverrideScope.Agent, id, mode, until, "why", "sue", Now.AddHours(-1));

    private static ModeOverride Queue(AgentMode mode) => new("queue", "q", OverrideScope.Queue, null, mode, null, "why", "sue", Now.AddHours(-1));

    [Fact]
    public void An_agent_override_beats_the_queue_override_and_lapsed_ones_are_ignored()
    {
        var r = ModeOverrides.Resolve(
            [Queue(AgentMode.ServiceOnly), Agent("a1", AgentMode.CrossSell), Agent("a2", AgentMode.CrossSell, Now.AddSeconds(-1))],
            null, ["a1", "a2", "a3"], Now);
        Assert.Equal(AgentMode.CrossSell, r.ForcedModes["a1"]);
        Assert.Equal(AgentMode.ServiceOnly, r.ForcedModes["a2"]);
        Assert.Equal(AgentMode.ServiceOnly, r.ForcedModes["a3"]);
        Assert.False(r.Frozen);
        Assert.Equal(2, r.ActiveOverrides.Count);
    }

    [Fact]
    public void Outside_every_cross_sell_window_agents_not_forced_otherwise_are_held_service_only()
    {
        var settings = new SupervisorSettings { CrossSellWindows = [new CrossSellWindow([DayOfWeek.Wednesday], new TimeOnly(12, 0), new TimeOnly(14, 0))] };
        var outside = ModeOverrides.Resolve([Agent("a1", AgentMode.CrossSell)], settings, ["a1", "a2"], Now);
        Assert.True(outside.OutsideCrossSellWindow);
        Assert.Equal(AgentMode.CrossSell, outside.ForcedModes["a1"]);
        Assert.Equal(AgentMode.ServiceOnly, outside.ForcedModes["a2"]);
        var inside = ModeOverrides.Resolve([], settings, ["a1", "a2"], Now.AddHours(3));
        Assert.Same(OverrideResolution.None, inside);
    }

    [Fact]
    public void A_freeze_is_reported_and_annotates_the_decision()
    {
        var freeze = new ModeOverride("freeze", "q", OverrideScope.Freeze, null, null, Now.AddHours(1), "storm", "sue", Now);
        var r = ModeOverrides.Resolve([freeze], null, ["a1"], Now);
        Assert.True(r.Frozen);
        Assert.Empty(r.ForcedModes);
        var decision = new ModeDecision("d", "q", Now, "idle-reserve", "Two idle.", 1, [], new Dictionary<string, double> { ["idle"] = 2 });
        var annotated = r.Annotate(decision);
        Assert.Equal(1, annotated.Inputs["override.frozen"]);
        Assert.Equal(2, annotated.Inputs["idle"]);
        Assert.Contains("frozen by sue (storm)", annotated.Explanation, StringComparison.Ordinal);
        Assert.Same(decision, OverrideResolution.None.Annotate(decision));
    }

    [Property]
    public bool Every_agent_is_forced_exactly_when_some_override_or_closed_window_covers_it(bool queueForce, bool agentForce, bool closed)
    {
        var overrides = new List<ModeOverride>();
        if (queueForce)
        {
            overrides.Add(Queue(AgentMode.CrossSell));
        }

        if (agentForce)
        {
            overrides.Add(Agent("a1", AgentMode.ServiceOnly));
        }

        var settings = closed ? new SupervisorSettings { CrossSellWindows = [new CrossSellWindow([DayOfWeek.Sunday], new TimeOnly(1, 0), new TimeOnly(2, 0))] } : null;
        var r = ModeOverrides.Resolve(overrides, settings, ["a1", "a2"], Now);
        return r.ForcedModes.ContainsKey("a1") == (queueForce || agentForce || closed)
            && r.ForcedModes.ContainsKey("a2") == (queueForce || closed)
            && (!agentForce || r.ForcedModes["a1"] == AgentMode.ServiceOnly);
    }
}
