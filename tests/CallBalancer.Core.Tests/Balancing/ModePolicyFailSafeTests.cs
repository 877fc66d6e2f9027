using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Tests.Balancing;

/// <summary>What the policy does when its models cannot decide, and what a freeze holds back.</summary>
public sealed class ModePolicyFailSafeTests
{
    private static readonly DateTimeOffset Now = PolicyInputs.Now;

    private static RebalanceInput SmallQueueWithCrossSellers(QueueSettings settings)
    {
        var agents = Enumerable.Range(0, 10).Select(i => new AgentPresence($"a{i}", AgentState.Available)).ToList();
        var modes = Enumerable.Range(0, 10)
            .Select(i => new AgentModeState($"a{i}", "q", i < 4 ? AgentMode.CrossSell : AgentMode.ServiceOnly, Now.AddHours(-1), "", "d0"))
            .ToList();
        var forecast = Enumerable.Range(-1, 6).Select(k => new ForecastInterval(Now.AddSeconds(300 * k), 300, 5, 7)).ToList();
        return new RebalanceInput(new QueueSnapshot("q", Now, 0, 0, agents), modes, settings, Now) { Forecast = forecast };
    }

    [Fact]
    public void Settings_the_models_cannot_work_with_put_every_agent_in_service_and_say_why()
    {
        // A target of 1 (every call within the target): the staffing model refuses it. The settings API refuses it too
        // now, but a queue's settings written before that, or a model limit nobody foresaw, must not fail the run and
        // leave four agents cross-selling.
        var fine = new ModePolicy().Decide(SmallQueueWithCrossSellers(QueueSettings.Default));
        Assert.NotEqual("model-error", fine.Rule);

        var decision = new ModePolicy().Decide(SmallQueueWithCrossSellers(QueueSettings.Default with { ServiceLevelTarget = 1 }));

        Assert.Equal("model-error", decision.Rule);
        Assert.All(decision.Agents, a => Assert.Equal((AgentMode.ServiceOnly, (AgentMode?)null), (a.Mode, a.PendingMode)));
        Assert.Equal(4, decision.Agents.Count(a => a.Changed));
        Assert.Equal((4, 0, 0), (decision.CrossSellBefore, decision.CrossSellAfter, decision.CrossSellAllowed));
        Assert.Contains("service-level target", decision.Explanation, StringComparison.Ordinal);
        Assert.All(decision.Agents.Where(a => a.Changed), a => Assert.Equal(decision.Explanation, a.Reason));
    }

    [Fact]
    public void A_forced_agent_keeps_its_mode_when_the_models_cannot_decide()
    {
        var input = SmallQueueWithCrossSellers(QueueSettings.Default with { ServiceLevelTarget = 1 }) with
        {
            ForcedModes = new Dictionary<string, AgentMode>(StringComparer.Ordinal) { ["a0"] = AgentMode.CrossSell },
        };

        var decision = new ModePolicy().Decide(input);

        Assert.Equal("model-error", decision.Rule);
        Assert.Equal(AgentMode.CrossSell, decision.Agents.Single(a => a.AgentId == "a0").Mode);
        Assert.Equal(1, decision.CrossSellAfter);
    }

    [Fact]
    public void A_frozen_queue_keeps_a_pending_flip_pending_until_the_freeze_ends()
    {
        // a0 was told to cross-sell while on a call; the supervisor then froze the queue; the call has ended.
        var agents = new List<AgentPresence> { new("a0", AgentState.Available), new("a1", AgentState.Available) };
        var modes = new List<AgentModeState>
        {
            new("a0", "q", AgentMode.ServiceOnly, Now.AddHours(-1), "", "d0", AgentMode.CrossSell),
            new("a1", "q", AgentMode.ServiceOnly, Now.AddHours(-1), "", "d0"),
        };
        var input = new RebalanceInput(new QueueSnapshot("q", Now, 0, 0, agents), modes, QueueSettings.Default, Now);

        var frozen = new ModePolicy().Decide(input with { Frozen = true });
        var thawed = new ModePolicy().Decide(input);

        Assert.Equal("frozen", frozen.Rule);
        Assert.DoesNotContain(frozen.Agents, a => a.Changed);
        Assert.Equal((AgentMode.ServiceOnly, (AgentMode?)AgentMode.CrossSell), (frozen.Agents[0].Mode, frozen.Agents[0].PendingMode));
        Assert.Equal(AgentMode.CrossSell, thawed.Agents.Single(a => a.AgentId == "a0").Mode);
    }
}
