using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Tests.Balancing;

public sealed class ModePolicyTests
{
    private static readonly DateTimeOffset Start = PolicyInputs.Now;

    private static RebalanceInput Input(
        IReadOnlyList<AgentPresence> agents, IReadOnlyList<AgentModeState> modes, DateTimeOffset now, int waiting = 0,
        double oldest = 0, double callsPer5Min = 100)
    {
        var forecast = Enumerable.Range(-1, 8)
            .Select(k => new ForecastInterval(Start.AddSeconds(300 * k), 300, callsPer5Min, callsPer5Min * 1.15))
            .ToList();
        return new RebalanceInput(new QueueSnapshot("q", now, waiting, oldest, agents), modes, QueueSettings.Default, now)
        {
            Forecast = forecast,
        };
    }

    private static List<AgentModeState> Modes(int n, AgentMode mode, DateTimeOffset since) =>
        Enumerable.Range(0, n).Select(i => new AgentModeState($"a{i:D2}", "q", mode, since, "", "")).ToList();

    [Fact]
    public void A_new_queue_without_a_forecast_uses_the_idle_reserve_rule()
    {
        var agents = Enumerable.Range(0, 6).Select(i => new AgentPresence($"a{i:D2}", AgentState.Available)).ToList();
        var input = new RebalanceInput(new QueueSnapshot("q", Start, 0, 0, agents), Modes(6, AgentMode.ServiceOnly, Start.AddHours(-1)), QueueSettings.Default, Start);

        var decision = new ModePolicy().Decide(input);

        Assert.Equal("idle-reserve", decision.Rule);
        Assert.Equal(4, decision.Agents.Count(a => a.Mode == AgentMode.CrossSell));
        Assert.Null(decision.PredictedServiceLevelAfter);
    }

    [Fact]
    public void Light_traffic_lets_everyone_cross_sell_and_heavy_traffic_nobody()
    {
        var agents = Enumerable.Range(0, 20).Select(i => new AgentPresence($"a{i:D2}", AgentState.Available)).ToList();
        var modes = Modes(20, AgentMode.ServiceOnly, Start.AddHours(-1));
        var policy = new ModePolicy();

        // 20 calls per 5 minutes at 180 s is 12 Erlangs on 20 agents: half or more may pitch within 3 points of service-only.
        var light = policy.Decide(Input(agents, modes, Start, callsPer5Min: 20));
        // 30 calls per 5 minutes is 18 Erlangs on 20 agents: no room for longer calls.
        var heavy = policy.Decide(Input(agents, modes, Start, callsPer5Min: 30));

        Assert.True(light.CrossSellAfter >= 10, $"light traffic allowed only {light.CrossSellAfter}");
        Assert.Equal(0, heavy.CrossSellAfter);
        Assert.True(light.PredictedServiceLevelAfter >= QueueSettings.Default.ServiceLevelTarget);
        Assert.True(light.PredictedServiceLevelAfter <= light.PredictedServiceLevelBefore);
    }

    [Fact]
    public void A_pending_flip_takes_effect_once_the_agent_is_off_the_call()
    {
        var policy = new ModePolicy();
        var modes = new List<AgentModeState>
        {
            new("a00", "q", AgentMode.CrossSell, Start.AddHours(-1), "", "d1", AgentMode.ServiceOnly),
        };
        var onCall = policy.Decide(Input([new AgentPresence("a00", AgentState.OnCall)], modes, Start, callsPer5Min: 400));
        Assert.Equal(AgentMode.CrossSell, onCall.Agents[0].Mode);
        Assert.Equal(AgentMode.ServiceOnly, onCall.Agents[0].PendingMode);

        var free = policy.Decide(Input([new AgentPresence("a00", AgentState.Available)], modes, Start, callsPer5Min: 400));
        Assert.Equal(AgentMode.ServiceOnly, free.Agents[0].Mode);
        Assert.Null(free.Agents[0].PendingMode);
        Assert.True(free.Agents[0].Changed);
    }

    [Fact]
    public void An_oscillating_queue_does_not_make_agents_flicker()
    {
        // For an hour the snapshot alternates every 15 s between an idle queue and a queue with callers waiting
        // (below the emergency limits); the stored modes follow the decisions as the timer would write them.
        var policy = new ModePolicy();
        const int n = 30;
        var modes = Modes(n, AgentMode.ServiceOnly, Start.AddHours(-1));
        var flips = new int[n];
        for (var tick = 0; tick < 240; tick++)
        {
            var now = Start.AddSeconds(15 * tick);
            var busy = tick % 2 == 1;
            var agents = Enumerable.Range(0, n)
                .Select(i => new AgentPresence($"a{i:D2}", busy || i % 3 == 0 ? AgentState.OnCall : AgentState.Available))
                .ToList();
            var decision = policy.Decide(Input(agents, modes, now, waiting: busy ? 3 : 0, oldest: busy ? 25 : 0, callsPer5Min: 60));
            for (var i = 0; i < n; i++)
            {
                var a = decision.Agents.Single(x => x.AgentId == modes[i].AgentId);
                if (a.Mode != modes[i].Mode)
                {
                    flips[i]++;
                }

                modes[i] = new AgentModeState(a.AgentId, "q", a.Mode, a.Since, a.Reason, decision.DecisionId, a.PendingMode);
            }
        }

        Assert.True(flips.Max() <= 2, $"an agent flipped {flips.Max()} times in an hour");
    }

    [Fact]
    public void A_shift_change_ahead_winds_cross_sell_down_before_the_agents_leave()
    {
        var agents = Enumerable.Range(0, 40).Select(i => new AgentPresence($"a{i:D2}", AgentState.Available)).ToList();
        var modes = Modes(40, AgentMode.CrossSell, Start.AddHours(-1));
        var forecast = Enumerable.Range(0, 6)
            .Select(k => new ForecastInterval(Start.AddSeconds(300 * k - 100), 300, 40, 44) { ScheduledAgents = k < 2 ? 40 : 26 })
            .ToList();
        var input = new RebalanceInput(new QueueSnapshot("q", Start, 0, 0, agents), modes, QueueSettings.Default, Start) { Forecast = forecast };
        var withoutSchedule = input with { Forecast = forecast.Select(f => f with { ScheduledAgents = null }).ToList() };

        var policy = new ModePolicy();
        Assert.True(policy.Decide(input).CrossSellAfter < policy.Decide(withoutSchedule).CrossSellAfter);
    }

    private static RebalanceInput Forecasting(int agents, IReadOnlyList<ForecastInterval> forecast, QueueSettings? settings = null) =>
        new(new QueueSnapshot("q", Start, 0, 0, Enumerable.Range(0, agents).Select(i => new AgentPresence($"a{i:D2}", AgentState.Available)).ToList()),
            Modes(agents, AgentMode.ServiceOnly, Start.AddHours(-1)), settings ?? QueueSettings.Default, Start)
        {
            Forecast = forecast,
        };

    [Fact]
    public void The_forecasters_measured_rate_uncertainty_is_planned_for_and_more_of_it_means_fewer_cross_sellers()
    {
        static List<ForecastInterval> Flat(double? rateCv) => Enumerable.Range(-1, 8)
            .Select(k => new ForecastInterval(Start.AddSeconds(300 * k), 300, 250, 270) { RateCv = rateCv })
            .ToList();

        int Capacity(double? rateCv) => new ModePolicy().Decide(Forecasting(160, Flat(rateCv))).CrossSellAllowed;

        var certain = Capacity(0);
        var usual = Capacity(0.05);
        var doubtful = Capacity(0.15);
        Assert.True(certain > usual && usual > doubtful, $"capacity {certain}, {usual}, {doubtful} for a rate cv of 0, 5% and 15%");

        // Without a measured cv the policy reads the rate's uncertainty back from the upper bound: (20/1.28)² < 250, all Poisson.
        Assert.Equal(certain, Capacity(null));
    }

    [Fact]
    public void No_interval_loses_more_than_the_interval_drop_against_its_own_service_only_level()
    {
        // Now is a moderate interval; an hour later a peak the staff cannot hold sets a low day floor, which alone would
        // let now's interval be spent down to the target.
        var forecast = Enumerable.Range(-1, 30)
            .Select(k => new ForecastInterval(Start.AddSeconds(300 * k), 300, k < 12 ? 235 : 300, k < 12 ? 255 : 320) { RateCv = 0.04 })
            .ToList();
        var strict = QueueSettings.Default with { MaxIntervalDrop = 0.01 };
        var loose = QueueSettings.Default with { MaxIntervalDrop = 1 };

        var bounded = new ModePolicy().Decide(Forecasting(160, forecast, strict));
        var unbounded = new ModePolicy().Decide(Forecasting(160, forecast, loose));

        Assert.True(bounded.CrossSellAllowed < unbounded.CrossSellAllowed, $"{bounded.CrossSellAllowed} vs {unbounded.CrossSellAllowed}");
        var model = new CrossSellCapacityModel();
        var planning = bounded.Inputs["planningCallsPerHour"] / 3600;
        var own = model.PredictedServiceLevel(planning, 160, 0, strict);
        Assert.True(model.PredictedServiceLevel(planning, 160, bounded.CrossSellAllowed, strict) >= own - 0.01 - 1e-9);
    }
}
