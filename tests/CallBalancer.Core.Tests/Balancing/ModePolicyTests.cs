using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Core.Tests.Balancing;

public sealed class ModePolicyTests
{
    private static readonly DateTimeOffset Start = PolicyInputs.Now;
    private static readonly ModePolicy Policy = new();

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
    public void New_agents_that_stay_service_only_get_this_decisions_reason_not_a_placeholder()
    {
        // A new queue: nothing stored. Quiet, so some cross-sell; one agent is not taking calls.
        var agents = Enumerable.Range(0, 6).Select(i => new AgentPresence($"a{i:D2}", AgentState.Available))
            .Append(new AgentPresence("away", AgentState.NotReady)).ToList();
        var quiet = new ModePolicy().Decide(new RebalanceInput(new QueueSnapshot("q", Start, 0, 0, agents), [], QueueSettings.Default, Start));
        Assert.Equal(4, quiet.Agents.Count(a => a.Mode == AgentMode.CrossSell));
        Assert.All(quiet.Agents.Where(a => a.Mode == AgentMode.CrossSell), a => Assert.Equal(quiet.Explanation, a.Reason));
        Assert.All(quiet.Agents.Where(a => a.Mode == AgentMode.ServiceOnly && a.AgentId != "away"),
            a => Assert.Equal("Kept for inbound calls: " + quiet.Explanation, a.Reason));
        Assert.Equal("Not taking calls: service-only.", quiet.Agents.Single(a => a.AgentId == "away").Reason);

        // Callers waiting: nobody may cross-sell, and every new agent's record says so.
        var busy = new ModePolicy().Decide(new RebalanceInput(new QueueSnapshot("q", Start, 3, 7, agents[..6]), [], QueueSettings.Default, Start));
        Assert.All(busy.Agents, a => Assert.Equal((AgentMode.ServiceOnly, busy.Explanation), (a.Mode, a.Reason)));
        Assert.DoesNotContain(busy.Agents.Concat(quiet.Agents), a => a.Reason.Contains("until the policy decides", StringComparison.Ordinal));
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

    [Fact]
    public void The_abandonment_cap_limits_cross_sell_and_a_queue_already_past_it_cross_sells_nobody()
    {
        var forecast = Enumerable.Range(-1, 8)
            .Select(k => new ForecastInterval(Start.AddSeconds(300 * k), 300, 250, 270) { RateCv = 0.04 })
            .ToList();
        var uncapped = QueueSettings.Default with { MaxAbandonRate = 1 };
        var free = new ModePolicy().Decide(Forecasting(160, forecast, uncapped));
        var model = new CrossSellCapacityModel();
        var planning = free.Inputs["planningCallsPerHour"] / 3600;
        var serviceOnly = model.PredictedAbandonment(planning, 160, 0, uncapped);
        var atFree = model.PredictedAbandonment(planning, 160, free.CrossSellAllowed, uncapped);
        Assert.True(free.CrossSellAllowed > 10 && atFree > serviceOnly + 0.002, $"{free.CrossSellAllowed} cross-sell at {atFree:P2} abandonment, {serviceOnly:P2} without");
        Assert.DoesNotContain("abandonment", free.Explanation, StringComparison.Ordinal);

        // A cap whose switch-on side lies between the two: fewer cross-sell, at a predicted abandonment within it.
        var cap = (serviceOnly + atFree) / 2 / QueueSettings.AbandonOnShare;
        var capped = new ModePolicy().Decide(Forecasting(160, forecast, uncapped with { MaxAbandonRate = cap }));
        Assert.InRange(capped.CrossSellAllowed, 1, free.CrossSellAllowed - 1);
        Assert.True(model.PredictedAbandonment(planning, 160, capped.CrossSellAllowed, uncapped) <= cap * QueueSettings.AbandonOnShare);
        Assert.True(capped.Inputs["predictedAbandonRateAfter"] <= cap * QueueSettings.AbandonOnShare, "at the expected rate, below the planning rate");
        Assert.Equal(cap, capped.Inputs["maxAbandonRate"]);
        Assert.Contains("abandonment below", capped.Explanation, StringComparison.Ordinal);

        // A cap the queue misses even without cross-sell: nobody.
        var past = new ModePolicy().Decide(Forecasting(160, forecast, uncapped with { MaxAbandonRate = serviceOnly / 2 }));
        Assert.Equal(0, past.CrossSellAllowed);
        Assert.All(past.Agents, a => Assert.Equal(AgentMode.ServiceOnly, a.Mode));
    }

    [Fact]
    public void A_day_far_above_its_target_after_a_bad_half_hour_lets_more_agents_cross_sell_and_the_decision_says_why()
    {
        // 160 agents on 3,300 calls/h of 180 s: service-only is predicted near the target, so the full goal (83%) lets
        // nobody cross-sell.
        var forecast = Enumerable.Range(-1, 8)
            .Select(k => new ForecastInterval(Start.AddSeconds(300 * k), 300, 275, 295) { RateCv = 0.04 })
            .ToList();
        var plain = Forecasting(160, forecast);
        var goodDay = new IntervalCounts(1000, 990, 10, 990, 950, 0, 0, 0); // 95% within the target, 1% abandoned
        var roomy = plain with { DaySoFar = goodDay, DayWorstHalfHour = 0.6 };

        var without = new ModePolicy().Decide(plain);
        var with = new ModePolicy().Decide(roomy);

        Assert.Equal(0, without.CrossSellAllowed);
        Assert.True(with.CrossSellAllowed > 10, $"{with.CrossSellAllowed} with the day's room");
        Assert.Equal(0.7, with.Inputs["dayRoomGoal"], 6); // full room: the day's worst plus 0.1
        Assert.Equal(0.15, with.Inputs["plannedAbandonCap"], 6); // 1% abandoned of a 5% cap: tripled
        Assert.Equal(0.6, with.Inputs["dayWorstHalfHour"]);
        Assert.Equal(0.95, with.Inputs["daySoFarWithinTarget"]);
        Assert.Contains("leaves room", with.Explanation, StringComparison.Ordinal);
        Assert.Equal(0.83, without.Inputs["dayRoomGoal"], 6);
        Assert.False(without.Inputs.ContainsKey("dayWorstHalfHour"));
        Assert.DoesNotContain("leaves room", without.Explanation, StringComparison.Ordinal);

        // The capacity meets the lowered goal, as it met the full one.
        var model = new CrossSellCapacityModel();
        var planning = with.Inputs["planningCallsPerHour"] / 3600;
        Assert.True(model.PredictedServiceLevel(planning, 160, with.CrossSellAllowed, QueueSettings.Default) >= 0.7 - 1e-9);

        // A day whose worst half-hour is better than what the forecast predicts ahead has a worse half-hour to come: no room.
        var worseAhead = new ModePolicy().Decide(plain with { DaySoFar = goodDay, DayWorstHalfHour = 0.99 });
        Assert.Equal(without.CrossSellAllowed, worseAhead.CrossSellAllowed);
        Assert.Equal(0.83, worseAhead.Inputs["dayRoomGoal"], 6);

        // Switched off for the queue, the same day changes nothing.
        var off = new ModePolicy().Decide(roomy with { Settings = QueueSettings.Default with { DayRoomAboveWorst = 1 } });
        Assert.Equal(without.CrossSellAllowed, off.CrossSellAllowed);
    }

    [Fact]
    public void The_offer_hold_reserve_ignores_the_days_room_so_the_offers_endpoint_computes_the_same()
    {
        var quiet = QueueOf(60, 20, callsPer5Min: 50) with
        {
            DaySoFar = new IntervalCounts(1000, 990, 10, 990, 950, 0, 0, 0),
            DayWorstHalfHour = 0.5,
        };
        var decision = Policy.Decide(quiet);
        Assert.Equal(decision.OfferHoldMinIdleAgents, Policy.OfferHoldReserve(quiet.Snapshot, quiet.Forecast, quiet.Settings, Start));
        Assert.Equal(Policy.Decide(quiet with { DaySoFar = default, DayWorstHalfHour = null }).OfferHoldMinIdleAgents, decision.OfferHoldMinIdleAgents);
    }

    private static RebalanceInput QueueOf(int agents, int onCall, double callsPer5Min, QueueSettings? settings = null)
    {
        var presences = Enumerable.Range(0, agents)
            .Select(i => new AgentPresence($"a{i:D2}", i < onCall ? AgentState.OnCall : AgentState.Available)).ToList();
        return Input(presences, Modes(agents, AgentMode.CrossSell, Start.AddHours(-1)), Start, callsPer5Min: callsPer5Min) with
        {
            Settings = settings ?? QueueSettings.Default,
        };
    }

    [Fact]
    public void A_quiet_large_queue_lowers_the_offer_hold_reserve_and_the_offers_endpoint_computes_the_same()
    {
        // 60 agents, 600 calls/h of 180 s: 30 Erlangs, half the staff. Everyone may cross-sell, with room to spare.
        var quiet = QueueOf(60, 20, callsPer5Min: 50);
        var decision = Policy.Decide(quiet);

        Assert.Equal(60, decision.Inputs["capacityOn"]);
        Assert.Equal(QueueSettings.Default.OfferHoldQuietMinIdleAgents, decision.OfferHoldMinIdleAgents);
        Assert.True(decision.OfferHoldMinIdleAgents < QueueSettings.Default.OfferHoldMinIdleAgents);
        Assert.Equal(decision.OfferHoldMinIdleAgents, (int)decision.Inputs["offerHoldMinIdleAgents"]);
        Assert.Equal(decision.OfferHoldMinIdleAgents, Policy.OfferHoldReserve(quiet.Snapshot, quiet.Forecast, quiet.Settings, Start));
    }

    [Fact]
    public void A_busy_or_small_queue_keeps_the_full_reserve_as_does_a_queue_without_forecast_or_with_the_rule_off()
    {
        var full = QueueSettings.Default.OfferHoldMinIdleAgents;

        // 60 agents at 55 Erlangs: the forecast does not let everyone cross-sell.
        var busy = QueueOf(60, 55, callsPer5Min: 92);
        Assert.True(Policy.Decide(busy).Inputs["capacityOn"] < 60);
        Assert.Equal(full, Policy.Decide(busy).OfferHoldMinIdleAgents);

        // 20 agents at a third of their capacity: quiet, but below OfferHoldQuietMinAgents.
        var small = QueueOf(20, 5, callsPer5Min: 11);
        Assert.Equal(20, Policy.Decide(small).Inputs["capacityOn"]);
        Assert.Equal(full, Policy.Decide(small).OfferHoldMinIdleAgents);

        var quiet = QueueOf(60, 20, callsPer5Min: 50);
        Assert.Equal(full, Policy.OfferHoldReserve(quiet.Snapshot, forecast: null, quiet.Settings, Start));
        Assert.Equal(full, Policy.OfferHoldReserve(null, quiet.Forecast, quiet.Settings, Start));
        var off = QueueSettings.Default with { OfferHoldQuietMinIdleAgents = full };
        Assert.Equal(full, Policy.Decide(quiet with { Settings = off }).OfferHoldMinIdleAgents);

        // An emergency: the decision carries no reserve (the setting applies), and the endpoint agrees.
        var emergency = quiet with { Snapshot = quiet.Snapshot! with { WaitingCalls = 3, OldestWaitSeconds = 75 } };
        Assert.Null(Policy.Decide(emergency).OfferHoldMinIdleAgents);
        Assert.Equal(full, Policy.OfferHoldReserve(emergency.Snapshot, emergency.Forecast, emergency.Settings, Start));
    }
}
