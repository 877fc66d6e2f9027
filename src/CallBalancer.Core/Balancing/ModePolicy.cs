using System.Globalization;

namespace CallBalancer.Core.Balancing;

/// <summary>
/// Decides every agent's mode for one queue. This is the code the <c>Rebalance</c> timer runs (and the simulator's
/// <c>forecast</c> policy). In order:
/// <list type="number">
/// <item>No snapshot or a stale one: every agent is service-only (when in doubt, protect service).</item>
/// <item>Emergency (a caller waited past the limit, or the queue passed its emergency length): every agent is
/// service-only at once, dwell notwithstanding.</item>
/// <item>Frozen by a supervisor: nothing changes.</item>
/// <item>Capacity: with a forecast, the largest number of cross-selling agents whose predicted service level
/// (Erlang A with the pitch-lengthened handle time, on the upper forecast of the busiest interval of the coming
/// horizon) stays above the target plus a margin, with separate on/off margins (hysteresis on the count); without
/// a forecast (a new queue), the real-time idle-reserve rule.</item>
/// <item>Real-time guard: nobody is added while a caller waits; callers waiting past the answer-time target each
/// take one agent out of cross-sell.</item>
/// <item>Which agents: agents forced by a supervisor are never touched; an agent flips only after the minimum
/// dwell; additions prefer better sellers, then whoever has been service-only longest (rotation); removals take
/// the weakest sellers, then whoever has cross-sold longest. A flip for an agent on a call is pending until the
/// call ends.</item>
/// </list>
/// </summary>
/// <remarks>
/// Grounding: call-blending theory (Bhulai &amp; Koole 2003; Gans &amp; Zhou 2003) reserves a threshold of
/// capacity for inbound work and lets the rest do deferrable work; here the deferrable work is the pitch, which
/// is attached to an inbound call, so the reserve is expressed as a count of cross-selling agents whose extra
/// handle time the predicted service level can afford. An instance caches its capacity computations and is safe
/// to share between threads.
/// </remarks>
public sealed class ModePolicy
{
    /// <summary>z of the 90th percentile: the upper end of an 80% prediction interval.</summary>
    private const double UpperQuantileZ = 1.2815515655446004;

    private readonly CrossSellCapacityModel _capacity = new();
    private DayFloor? _dayFloor;

    /// <summary>Decides the modes for one queue. Pure: the same input gives the same modes.</summary>
    /// <param name="input">The snapshot, the current modes, the settings, the forecast and the decision time.</param>
    /// <param name="decisionId">The id to stamp on the decision; a new time-ordered id when null.</param>
    public ModeDecision Decide(RebalanceInput input, string? decisionId = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = decisionId ?? Guid.CreateVersion7(input.Now).ToString("N");
        try
        {
            return DecideOrThrow(input, id);
        }
        catch (Exception ex) when (ex is ArgumentException or ArithmeticException or InvalidOperationException)
        {
            // Settings or a forecast the queueing models cannot work with: when in doubt, protect service, and say why,
            // rather than fail the run and leave the queue's cross-sellers where the last decision put them.
            var agents = AgentView.Build(input);
            var queueId = input.Snapshot?.QueueId ?? (input.CurrentModes.Count > 0 ? input.CurrentModes[0].QueueId : string.Empty);
            return AllServiceOnly(input, agents, id, queueId, "model-error",
                $"The capacity model could not decide for this queue ({ex.Message}): every agent is service-only until it can. Check the queue's settings and forecast.",
                new Dictionary<string, double>(StringComparer.Ordinal));
        }
    }

    private ModeDecision DecideOrThrow(RebalanceInput input, string id)
    {
        var settings = input.Settings;
        var snapshot = input.Snapshot;
        var queueId = snapshot?.QueueId ?? (input.CurrentModes.Count > 0 ? input.CurrentModes[0].QueueId : string.Empty);
        var agents = AgentView.Build(input);

        if (snapshot is null)
        {
            return AllServiceOnly(input, agents, id, queueId, "no-snapshot",
                "No snapshot of this queue has arrived yet, so every agent is service-only.",
                new Dictionary<string, double>(StringComparer.Ordinal));
        }

        var ageSeconds = (input.Now - snapshot.ObservedAt).TotalSeconds;
        var staffedCount = 0;
        var idleCount = 0;
        foreach (var a in agents)
        {
            staffedCount += a.Staffed ? 1 : 0;
            idleCount += a.State == AgentState.Available ? 1 : 0;
        }

        var inputs = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["waitingCalls"] = snapshot.WaitingCalls,
            ["oldestWaitSeconds"] = snapshot.OldestWaitSeconds,
            ["staffedAgents"] = staffedCount,
            ["idleAgents"] = idleCount,
            ["snapshotAgeSeconds"] = Math.Round(ageSeconds, 3),
        };

        if (AllServiceOnlyRule(snapshot, ageSeconds, settings) is { } allServiceOnly)
        {
            return AllServiceOnly(input, agents, id, queueId, allServiceOnly.Rule, allServiceOnly.Explanation, inputs);
        }

        // A forecast that stopped learning (its refresh failing) is stale data: the real-time rule decides instead.
        string? staleForecast = null;
        if (ForecastAgeMinutes(input.Forecast, input.Now) is { } forecastAge)
        {
            inputs["forecastAgeMinutes"] = forecastAge;
            if (IsStale(forecastAge, settings))
            {
                staleForecast = string.Create(CultureInfo.InvariantCulture,
                    $"Forecast stale (it last learned {forecastAge:0} min ago, limit {settings.StaleForecastSeconds / 60:0} min: its refresh has stopped), so the real-time rule decides");
                input = input with { Forecast = null };
            }
        }

        var before = 0;
        var forcedCrossSell = 0;
        foreach (var a in agents)
        {
            if (!a.Staffed)
            {
                continue;
            }

            if (a.Forced)
            {
                forcedCrossSell += a.Mode == AgentMode.CrossSell ? 1 : 0;
            }
            else if (a.Intent == AgentMode.CrossSell)
            {
                before++;
            }
        }

        var totalBefore = before + forcedCrossSell;
        inputs["crossSellBefore"] = totalBefore;

        if (input.Frozen)
        {
            return Finish(input, agents, id, queueId, "frozen",
                "A supervisor has frozen this queue's modes: nothing changes except in an emergency (a pending flip waits for the freeze to end).",
                totalBefore, inputs, null, null, totalBefore);
        }

        // Pending flips of agents no longer on a call take effect now (the call they waited for has ended).
        foreach (var a in agents)
        {
            if (a.Pending is { } p && a.State != AgentState.OnCall && !a.Forced)
            {
                a.Mode = p;
                a.Pending = null;
                a.Since = input.Now;
                a.Reason = "The pending mode took effect when the call ended.";
                a.Touched = true;
            }
        }

        string rule;
        string explanation;
        int desired;
        double? slBefore = null;
        double? slAfter = null;
        double expectedRate;
        var planningRate = 0.0;
        var horizon = new List<(double Rate, int Agents)>(4);
        var forecast = HorizonForecast(input, staffedCount, horizon, out expectedRate);
        var realTimeRate = 0.0;
        int? holdReserve = null;
        var dayFloorLevel = forecast && settings.FloorFromWholeForecast ? WorstServiceOnlyLevel(input, staffedCount) : 1.0;
        if (forecast && settings.FloorFromWholeForecast)
        {
            inputs["worstForecastServiceOnlyLevel"] = Math.Round(dayFloorLevel, 6);
        }

        var busyCount = BusyAgents(agents);
        if (forecast && settings.RealTimeLoadGuard && staffedCount > 0)
        {
            realTimeRate = RealTimeRate(busyCount, snapshot.WaitingCalls, (double)totalBefore / staffedCount, settings);
            inputs["realTimeCallsPerHour"] = Math.Round(realTimeRate * 3600, 3);
        }

        if (forecast)
        {
            // The day's room: a day well above its target, with a bad half-hour behind it, lets the intervals to come
            // spend some of what it banked (DayRoom); the goal and the abandonment cap the plan uses are recorded.
            var top = settings.ServiceLevelTarget + settings.CrossSellOnMargin;
            var roomGoal = DayRoom.Goal(top, settings, input.DaySoFar, input.DayWorstHalfHour, dayFloorLevel);
            var roomCap = DayRoom.AbandonCap(settings, input.DaySoFar, input.DayWorstHalfHour, dayFloorLevel);
            var planSettings = roomCap == settings.MaxAbandonRate ? settings : settings with { MaxAbandonRate = roomCap };
            var dayWithinTarget = input.DaySoFar.Resolved > 0 ? (double)input.DaySoFar.AnsweredWithinTarget / input.DaySoFar.Resolved : 0;
            if (input.DaySoFar.Resolved > 0)
            {
                inputs["daySoFarResolvedCalls"] = input.DaySoFar.Resolved;
                inputs["daySoFarWithinTarget"] = Math.Round(dayWithinTarget, 6);
                inputs["daySoFarAbandonRate"] = Math.Round((double)input.DaySoFar.Abandoned / input.DaySoFar.Resolved, 6);
            }

            if (input.DayWorstHalfHour is { } dayWorst)
            {
                inputs["dayWorstHalfHour"] = Math.Round(dayWorst, 6);
            }

            inputs["dayRoomGoal"] = Math.Round(roomGoal, 6);
            inputs["plannedAbandonCap"] = Math.Round(roomCap, 6);
            var plan = Plan(horizon, realTimeRate, dayFloorLevel, planSettings, roomGoal);
            var capOn = plan.CapOn;
            var capOff = plan.CapOff;
            var goalOn = plan.GoalOn;
            planningRate = plan.PlanningRate;
            // The hold's reserve is judged on the service-only handle time's real-time rate (the safe side) and without
            // the day's room, so the offers endpoint, which reads neither the modes nor the day, computes the same one
            // (OfferHoldReserve below).
            var roomless = roomGoal >= top && roomCap == settings.MaxAbandonRate;
            holdReserve = !QuietRuleApplies(staffedCount, settings) ? settings.OfferHoldMinIdleAgents
                : totalBefore == 0 || !settings.RealTimeLoadGuard
                    ? QuietReserve(roomless ? plan : Plan(horizon, realTimeRate, dayFloorLevel, settings, top), staffedCount, settings)
                : QuietReserve(
                    Plan(horizon, RealTimeRate(busyCount, snapshot.WaitingCalls, 0, settings), dayFloorLevel, settings, top),
                    staffedCount, settings);
            inputs["offerHoldMinIdleAgents"] = holdReserve.Value;
            inputs["forecastCallsPerHour"] = Math.Round(expectedRate * 3600, 3);
            inputs["planningCallsPerHour"] = Math.Round(planningRate * 3600, 3);
            inputs["goalOn"] = Math.Round(goalOn, 6);
            inputs["capacityOn"] = capOn;
            inputs["capacityOff"] = capOff;
            if (totalBefore < capOn)
            {
                desired = capOn;
                rule = "forecast-capacity";
            }
            else if (totalBefore > capOff)
            {
                desired = capOff;
                rule = "forecast-capacity";
            }
            else
            {
                desired = totalBefore;
                rule = "hysteresis-hold";
            }

            inputs["maxAbandonRate"] = settings.MaxAbandonRate;
            var keeping = plan.AbandonmentBinds
                ? string.Create(CultureInfo.InvariantCulture,
                    $"the predicted abandonment below {AbandonOn(settings):P1} (limit {settings.MaxAbandonRate:P1}) and the service level")
                : "the predicted service level";
            explanation = string.Create(CultureInfo.InvariantCulture,
                $"Forecast {planningRate * 3600:0} calls/h (upper) on {staffedCount} staffed agents: up to {capOn} may cross-sell keeping {keeping} above {goalOn:P1}; cut above {capOff}.");
            if (!roomless)
            {
                explanation += string.Create(CultureInfo.InvariantCulture,
                    $" The day so far ({dayWithinTarget:P1} within the target, worst half-hour {input.DayWorstHalfHour:P1}) leaves room: goal {roomGoal:P1}, abandonment planned up to {roomCap:P1}.");
            }
        }
        else
        {
            // A queue without a forecast: keep a reserve of idle agents, let the rest cross-sell.
            var shortfall = Math.Max(0, settings.IdleReserve - idleCount);
            desired = Math.Max(0, staffedCount - settings.IdleReserve - shortfall);
            inputs["idleReserve"] = settings.IdleReserve;
            rule = "idle-reserve";
            explanation = string.Create(CultureInfo.InvariantCulture,
                $"{staleForecast ?? "No forecast"}; {idleCount} idle of {staffedCount} staffed; keeping {settings.IdleReserve} in reserve lets {desired} cross-sell.");
        }

        // Real-time guard: the forecast says what the interval can afford, the snapshot says what is happening now.
        if (snapshot.WaitingCalls > settings.HoldWaitingShare * staffedCount && desired > totalBefore)
        {
            desired = totalBefore;
            rule = "hold-while-waiting";
            explanation = string.Create(CultureInfo.InvariantCulture,
                $"{snapshot.WaitingCalls} caller(s) waiting: no new cross-sell. {explanation}");
        }

        if (snapshot.WaitingCalls > 0 && snapshot.OldestWaitSeconds >= settings.TargetSeconds)
        {
            var guarded = Math.Max(0, totalBefore - snapshot.WaitingCalls);
            if (guarded < desired)
            {
                desired = guarded;
                rule = "queue-guard";
                explanation = string.Create(CultureInfo.InvariantCulture,
                    $"{snapshot.WaitingCalls} caller(s) waiting, the oldest {snapshot.OldestWaitSeconds:0} s (target {settings.TargetSeconds:0} s): one agent out of cross-sell per waiting caller.");
            }
        }

        inputs["crossSellAllowed"] = desired;
        var after = Adjust(agents, Math.Max(0, desired - forcedCrossSell), input.Now, settings, input.AgentStats, explanation)
            + forcedCrossSell;
        inputs["crossSellAfter"] = after;
        if (forecast)
        {
            slBefore = _capacity.PredictedServiceLevel(expectedRate, staffedCount, totalBefore, settings);
            slAfter = _capacity.PredictedServiceLevel(expectedRate, staffedCount, after, settings);
            inputs["predictedServiceLevelBefore"] = Math.Round(slBefore.Value, 6);
            inputs["predictedServiceLevelAfter"] = Math.Round(slAfter.Value, 6);
            inputs["predictedAbandonRateBefore"] = Math.Round(_capacity.PredictedAbandonment(expectedRate, staffedCount, totalBefore, settings), 6);
            inputs["predictedAbandonRateAfter"] = Math.Round(_capacity.PredictedAbandonment(expectedRate, staffedCount, after, settings), 6);
        }

        return Finish(input, agents, id, queueId, rule, explanation, desired, inputs, slBefore, slAfter, after, totalBefore)
            with { OfferHoldMinIdleAgents = holdReserve };
    }

    /// <summary>
    /// How long ago (minutes, one decimal) a live forecast last learned, from its first interval's
    /// <see cref="ForecastInterval.LearnedThrough"/>; null without a forecast or when it does not say.
    /// </summary>
    public static double? ForecastAgeMinutes(IReadOnlyList<ForecastInterval>? forecast, DateTimeOffset now) =>
        forecast is { Count: > 0 } && forecast[0].LearnedThrough is { } learned ? Math.Round((now - learned).TotalMinutes, 1) : null;

    private static bool IsStale(double? forecastAgeMinutes, QueueSettings settings) => forecastAgeMinutes * 60 > settings.StaleForecastSeconds;

    /// <summary>
    /// True for the rules that send every agent of the queue to service-only whatever else is known: no snapshot, a
    /// stale one, an emergency, the models unable to decide. They rest on the snapshot and the thresholds alone, so
    /// they may be applied when the queue's other inputs (settings, forecast, overrides) cannot be read.
    /// </summary>
    public static bool IsAllServiceOnlyRule(string rule) =>
        rule is "no-snapshot" or "stale-snapshot" or "emergency-wait" or "emergency-queue-length" or "model-error";

    /// <summary>
    /// The rule that puts every agent of the queue in service at once, with its explanation, checked in this order: a
    /// stale snapshot, a caller waiting past the emergency limit, a queue past its emergency length; null when none
    /// applies.
    /// </summary>
    private static (string Rule, string Explanation)? AllServiceOnlyRule(QueueSnapshot snapshot, double ageSeconds, QueueSettings settings) =>
        ageSeconds > settings.StaleSnapshotSeconds
            ? ("stale-snapshot", string.Create(CultureInfo.InvariantCulture,
                $"The latest snapshot is {ageSeconds:0} s old (limit {settings.StaleSnapshotSeconds:0} s): service-only until a fresh one arrives."))
        : snapshot.OldestWaitSeconds >= settings.EmergencyWaitSeconds
            ? ("emergency-wait", string.Create(CultureInfo.InvariantCulture,
                $"A caller has waited {snapshot.OldestWaitSeconds:0} s (limit {settings.EmergencyWaitSeconds:0} s): every agent back to service."))
        : snapshot.WaitingCalls >= settings.EmergencyQueueLength
            ? ("emergency-queue-length", string.Create(CultureInfo.InvariantCulture,
                $"{snapshot.WaitingCalls} callers are waiting (limit {settings.EmergencyQueueLength}): every agent back to service."))
        : null;

    /// <summary>
    /// The offer hold's reserve of free agents in force for the queue now (agents): what <see cref="Decide"/> records as
    /// <see cref="ModeDecision.OfferHoldMinIdleAgents"/>, computed from the same snapshot, forecast and settings without
    /// the modes, for the offers endpoint. <see cref="QueueSettings.OfferHoldMinIdleAgents"/> unless the quiet-queue rule
    /// lowers it (<see cref="QueueSettings.OfferHoldQuietMinIdleAgents"/>); the setting itself with no snapshot, a stale
    /// one, an emergency or no forecast covering now. A queue a supervisor froze records no reserve with its decisions
    /// (they change nothing), but the endpoint still lowers it: the freeze holds the modes, not the hold.
    /// </summary>
    public int OfferHoldReserve(QueueSnapshot? snapshot, IReadOnlyList<ForecastInterval>? forecast, QueueSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (snapshot is null || forecast is null || AllServiceOnlyRule(snapshot, (now - snapshot.ObservedAt).TotalSeconds, settings) is not null
            || IsStale(ForecastAgeMinutes(forecast, now), settings))
        {
            return settings.OfferHoldMinIdleAgents;
        }

        var input = new RebalanceInput(snapshot, [], settings, now) { Forecast = forecast };
        var agents = AgentView.Build(input);
        var staffed = 0;
        foreach (var a in agents)
        {
            staffed += a.Staffed ? 1 : 0;
        }

        if (!QuietRuleApplies(staffed, settings))
        {
            return settings.OfferHoldMinIdleAgents;
        }

        var horizon = new List<(double Rate, int Agents)>(4);
        if (!HorizonForecast(input, staffed, horizon, out _))
        {
            return settings.OfferHoldMinIdleAgents;
        }

        var dayFloor = settings.FloorFromWholeForecast ? WorstServiceOnlyLevel(input, staffed) : 1.0;
        var realTime = settings.RealTimeLoadGuard && staffed > 0 ? RealTimeRate(BusyAgents(agents), snapshot.WaitingCalls, 0, settings) : 0;
        return QuietReserve(Plan(horizon, realTime, dayFloor, settings, settings.ServiceLevelTarget + settings.CrossSellOnMargin), staffed, settings);
    }

    /// <summary>
    /// True when the quiet-queue rule can lower this queue's reserve at all: the hold on and never letting callers wait,
    /// at least <see cref="QueueSettings.OfferHoldQuietMinAgents"/> staffed agents in the snapshot, and a floor below the
    /// setting. Otherwise the reserve is <see cref="QueueSettings.OfferHoldMinIdleAgents"/> whatever the forecast says,
    /// so the offers endpoint need not read the forecast.
    /// </summary>
    public static bool QuietReserveMayApply(QueueSnapshot snapshot, QueueSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        return QuietRuleApplies(snapshot.Agents.Count(a => a.State.IsStaffed()), settings);
    }

    private static bool QuietRuleApplies(int staffed, QueueSettings s) =>
        s.OfferHold && s.OfferHoldMaxWaiting == 0 && staffed >= s.OfferHoldQuietMinAgents
        && s.OfferHoldQuietMinIdleAgents < s.OfferHoldMinIdleAgents;

    /// <summary>
    /// The quiet-queue rule of the offer hold (where <see cref="QuietRuleApplies"/>): in a queue of at least <see cref="QueueSettings.OfferHoldQuietMinAgents"/>
    /// staffed agents whose forecast lets every agent cross-sell (the capacity is the whole staff), the reserve comes
    /// down, one agent at a time to <see cref="QueueSettings.OfferHoldQuietMinIdleAgents"/>, as long as the model still
    /// predicts every interval of the horizon at its goal with everyone cross-selling at that reserve. The slack of a
    /// quiet large queue is then spent on pitches the full reserve would have held; a small queue keeps the reserve,
    /// where one agent is a tenth of the staff and the forecast's relative error is three times larger (measured on
    /// the policy benchmark: the same rule there breaks the half-hour bound on 5 more runs of 120).
    /// </summary>
    private int QuietReserve(CapacityPlan plan, int staffed, QueueSettings s)
    {
        var reserve = s.OfferHoldMinIdleAgents;
        if (plan.CapOn < staffed)
        {
            return reserve;
        }

        for (var t = reserve - 1; t >= s.OfferHoldQuietMinIdleAgents; t--)
        {
            var relaxed = s with { OfferHoldMinIdleAgents = t };
            foreach (var (rate, n, goal) in plan.Intervals)
            {
                if (_capacity.PredictedServiceLevel(rate, n, n, relaxed) < goal
                    || _capacity.PredictedAbandonment(rate, n, n, relaxed) > AbandonOn(s))
                {
                    return reserve;
                }
            }

            reserve = t;
        }

        return reserve;
    }

    /// <summary>
    /// The capacity over the horizon: the binding interval is the one with the least capacity (the busiest forecast, or
    /// the one after a shift change), each interval with its goal: the target plus a margin, and no half-hour
    /// sacrificed.
    /// </summary>
    private CapacityPlan Plan(List<(double Rate, int Agents)> horizon, double realTimeRate, double dayFloorLevel, QueueSettings settings, double roomGoal)
    {
        var capOn = int.MaxValue;
        var capOff = int.MaxValue;
        var goalOn = 0.0;
        var planningRate = 0.0;
        var abandonmentBinds = false;
        var intervals = new List<(double Rate, int Agents, double Goal)>(horizon.Count);
        foreach (var (rate, n) in horizon)
        {
            var r = Math.Max(rate, realTimeRate);
            planningRate = Math.Max(planningRate, r);
            // The no-sacrifice floor: against the worst interval service-only would have over the whole
            // forecast (the day's weakest half-hour sets what "sacrificed" means), or this interval's own.
            // And no interval may lose more than MaxIntervalDrop against its own service-only level: a forecast
            // error can make any interval the day's weakest, and the steeper its curve the more it then loses.
            var ownLevel = _capacity.PredictedServiceLevel(r, n, 0, settings);
            var serviceOnlyLevel = settings.FloorFromWholeForecast ? Math.Min(ownLevel, dayFloorLevel) : ownLevel;
            var floor = Math.Max(serviceOnlyLevel - settings.MaxServiceLevelDrop, ownLevel - settings.MaxIntervalDrop);
            // The day's room lowers both sides alike (the margins' gap, the hysteresis, is kept).
            var on = Math.Max(Math.Min(settings.ServiceLevelTarget + settings.CrossSellOnMargin, roomGoal), floor);
            var off = Math.Max(
                Math.Min(settings.ServiceLevelTarget + settings.CrossSellOffMargin, roomGoal - (settings.CrossSellOnMargin - settings.CrossSellOffMargin)),
                floor - (settings.CrossSellOnMargin - settings.CrossSellOffMargin));
            var cOn = _capacity.Capacity(r, n, on, AbandonOn(settings), settings);
            intervals.Add((r, n, on));
            if (cOn < capOn)
            {
                capOn = cOn;
                goalOn = on;
                abandonmentBinds = cOn < _capacity.Capacity(r, n, on, 1, settings);
            }

            capOff = Math.Min(capOff, _capacity.Capacity(r, n, off, settings.MaxAbandonRate, settings));
        }

        return new CapacityPlan(capOn, Math.Max(capOn, capOff), goalOn, planningRate, intervals, abandonmentBinds);
    }

    /// <summary>The abandonment cap on the switch-on side (<see cref="QueueSettings.AbandonOnShare"/> of the cap).</summary>
    private static double AbandonOn(QueueSettings s) => s.MaxAbandonRate * QueueSettings.AbandonOnShare;

    /// <summary>
    /// The arrival rate the snapshot shows (calls per second): busy agents plus waiting callers over the mean handle
    /// time with <paramref name="crossSellShare"/> of the staff cross-selling. Planning on the larger of it and the
    /// forecast catches a surge the forecast has not seen yet within one timer run. One standard deviation (√load,
    /// Poisson) is taken off so that the snapshot's noise does not by itself cut capacity; a real surge still shows.
    /// </summary>
    private static double RealTimeRate(int busy, int waiting, double crossSellShare, QueueSettings s)
    {
        var currentAht = s.AhtSeconds + crossSellShare * s.EligibleShare * s.PitchSeconds;
        var load = busy + waiting;
        return Math.Max(0, load - Math.Sqrt(load)) / currentAht;
    }

    private static int BusyAgents(List<AgentView> agents)
    {
        var busy = 0;
        foreach (var a in agents)
        {
            busy += a.State is AgentState.OnCall or AgentState.WrapUp ? 1 : 0;
        }

        return busy;
    }

    /// <summary>
    /// The forecast intervals that overlap [now, now + horizon], as (planning rate, agents); false when the forecast
    /// does not cover now. The planning rate is the expected rate plus the weighted rate uncertainty.
    /// </summary>
    private static bool HorizonForecast(
        RebalanceInput input, int staffed, List<(double Rate, int Agents)> horizon, out double expectedRate)
    {
        expectedRate = 0;
        var forecast = input.Forecast;
        if (forecast is null || forecast.Count == 0)
        {
            return false;
        }

        var s = input.Settings;
        var horizonEnd = input.Now.AddSeconds(s.CapacityHorizonSeconds);
        var covered = false;
        for (var i = 0; i < forecast.Count; i++)
        {
            var f = forecast[i];
            if (f.LengthSeconds <= 0 || f.End <= input.Now || f.Start >= horizonEnd)
            {
                continue;
            }

            var expectedCalls = Math.Max(0, f.ExpectedCalls);
            var planning = PlanningRate(f, s);
            var agents = f.ScheduledAgents is { } scheduled ? Math.Min(staffed, scheduled) : staffed;
            if (f.Start <= input.Now)
            {
                covered = true;
                expectedRate = expectedCalls / f.LengthSeconds;
                agents = staffed; // now, the snapshot's own count is the truth
            }

            horizon.Add((planning, agents));
        }

        return covered;
    }

    /// <summary>
    /// The arrival rate an interval is planned for (calls per second): the expected count plus
    /// <see cref="QueueSettings.ForecastUpperWeight"/> × z₀.₉ standard deviations of the <em>rate</em>. The count's own
    /// Poisson noise (variance = mean) is left out, because Erlang A already models Poisson arrivals. The rate's sd is
    /// the forecaster's measured one (<see cref="ForecastInterval.RateCv"/>: its recent errors beyond Poisson, 4 to 5%
    /// of the rate for the 2003 bank, about 15% for the much smaller 1999 bank); without it, it is read back from the
    /// count's upper bound: sd_rate² = ((upper − expected) / z)² − expected.
    /// </summary>
    private static double PlanningRate(ForecastInterval f, QueueSettings s)
    {
        var expectedCalls = Math.Max(0, f.ExpectedCalls);
        double rateSd;
        if (f.RateCv is { } cv)
        {
            rateSd = cv * expectedCalls;
        }
        else
        {
            var spread = Math.Max(0, f.UpperCalls - expectedCalls) / UpperQuantileZ;
            rateSd = Math.Sqrt(Math.Max(0, spread * spread - expectedCalls));
        }

        return (expectedCalls + s.ForecastUpperWeight * UpperQuantileZ * rateSd) / f.LengthSeconds;
    }

    /// <summary>
    /// The lowest service level the model predicts without cross-sell over every interval of the forecast (with its
    /// scheduled agents): the day's weakest interval. Cached per forecast list, which changes once per interval.
    /// </summary>
    private double WorstServiceOnlyLevel(RebalanceInput input, int staffed)
    {
        var forecast = input.Forecast!;
        var cached = _dayFloor;
        if (cached is not null && ReferenceEquals(cached.Forecast, forecast) && cached.Staffed == staffed && cached.Settings == input.Settings)
        {
            return cached.Level;
        }

        var s = input.Settings;
        var worst = 1.0;
        foreach (var f in forecast)
        {
            if (f.LengthSeconds <= 0 || f.End <= input.Now || f.ExpectedCalls <= 0)
            {
                continue;
            }

            var rate = PlanningRate(f, s);
            var agents = f.ScheduledAgents ?? staffed;
            worst = Math.Min(worst, _capacity.PredictedServiceLevel(rate, agents, 0, s));
        }

        _dayFloor = new DayFloor(forecast, staffed, input.Settings, worst);
        return worst;
    }

    /// <summary>
    /// Brings the number of non-forced staffed agents intending cross-sell to <paramref name="target"/> as far as
    /// the dwell allows; returns the count reached.
    /// </summary>
    private static int Adjust(
        List<AgentView> agents, int target, DateTimeOffset now, QueueSettings settings,
        IReadOnlyDictionary<string, AgentCrossSellStats>? stats, string explanation)
    {
        var current = 0;
        foreach (var a in agents)
        {
            if (a.Staffed && !a.Forced && a.Intent == AgentMode.CrossSell)
            {
                current++;
            }
        }

        // Agents not taking calls are service-only: nothing is lost by flipping them at once.
        foreach (var a in agents)
        {
            if (!a.Staffed && !a.Forced && (a.Mode != AgentMode.ServiceOnly || a.Pending is not null))
            {
                a.Mode = AgentMode.ServiceOnly;
                a.Pending = null;
                a.Since = now;
                a.Reason = "Not taking calls: service-only.";
                a.Touched = true;
            }
        }

        if (current == target)
        {
            return current;
        }

        var adding = current < target;
        var wanted = adding ? AgentMode.CrossSell : AgentMode.ServiceOnly;
        var candidates = new List<AgentView>();
        foreach (var a in agents)
        {
            if (!a.Staffed || a.Forced || a.Intent == wanted)
            {
                continue;
            }

            // Undoing a pending flip costs nothing, nor does a first mode for an agent without one; otherwise the
            // agent must have dwelt long enough.
            if (a.Pending is not null || a.Stored is null || (now - a.Since).TotalSeconds >= settings.MinDwellSeconds)
            {
                candidates.Add(a);
            }
        }

        var prior = settings.EligibleShare > 0 ? 0.15 : 0;
        foreach (var a in candidates)
        {
            a.Score = SellingScore(stats, a.AgentId, prior);
        }

        candidates.Sort((x, y) =>
        {
            // Free moves (cancelling a pending flip) first.
            var px = x.Pending is not null ? 0 : 1;
            var py = y.Pending is not null ? 0 : 1;
            if (px != py)
            {
                return px.CompareTo(py);
            }

            // Adding: better sellers first; removing: weaker sellers first.
            var byScore = adding ? y.Score.CompareTo(x.Score) : x.Score.CompareTo(y.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            // Rotation: whoever has been in the current mode longest moves first.
            var bySince = x.Since.CompareTo(y.Since);
            return bySince != 0 ? bySince : string.CompareOrdinal(x.AgentId, y.AgentId);
        });

        var moves = Math.Min(Math.Abs(target - current), candidates.Count);
        for (var i = 0; i < moves; i++)
        {
            var a = candidates[i];
            a.Touched = true;
            a.Reason = wanted == AgentMode.CrossSell
                ? explanation
                : "Kept for inbound calls: " + explanation;
            if (a.Pending is not null)
            {
                a.Pending = null; // the flip never took effect; the agent simply keeps its mode
            }
            else if (a.State == AgentState.OnCall)
            {
                a.Pending = wanted;
            }
            else
            {
                a.Mode = wanted;
                a.Since = now;
            }
        }

        return adding ? current + moves : current - moves;
    }

    /// <summary>
    /// The agent's acceptance rate, shrunk towards the prior with the weight of 20 offers so that a lucky first
    /// sale does not outrank a long good record (a beta-binomial posterior mean).
    /// </summary>
    private static double SellingScore(IReadOnlyDictionary<string, AgentCrossSellStats>? stats, string agentId, double prior)
    {
        const double priorWeight = 20;
        if (stats is null || !stats.TryGetValue(agentId, out var s))
        {
            return prior;
        }

        return (s.Acceptances + prior * priorWeight) / (s.Offers + priorWeight);
    }

    private static ModeDecision AllServiceOnly(
        RebalanceInput input, List<AgentView> agents, string id, string queueId, string rule, string explanation,
        Dictionary<string, double> inputs)
    {
        // At once: the mode only matters when the next call is answered, so there is nothing to wait for.
        var before = 0;
        var after = 0;
        foreach (var a in agents)
        {
            // Forced agents count by the mode they hold, as in the normal path: the policy never touches them.
            if (a.Staffed && (a.Forced ? a.Mode : a.Intent) == AgentMode.CrossSell)
            {
                before++;
            }

            if (a.Forced)
            {
                after += a.Staffed && a.Mode == AgentMode.CrossSell ? 1 : 0;
                continue;
            }

            if (a.Mode != AgentMode.ServiceOnly || a.Pending is not null)
            {
                a.Mode = AgentMode.ServiceOnly;
                a.Pending = null;
                a.Since = input.Now;
                a.Reason = explanation;
                a.Touched = true;
            }
        }

        inputs["crossSellAllowed"] = 0;
        return Finish(input, agents, id, queueId, rule, explanation, 0, inputs, null, null, after, before);
    }

    private static ModeDecision Finish(
        RebalanceInput input, List<AgentView> agents, string id, string queueId, string rule, string explanation,
        int allowed, Dictionary<string, double> inputs, double? slBefore, double? slAfter, int after, int? before = null)
    {
        var changes = new AgentModeChange[agents.Count];
        for (var i = 0; i < agents.Count; i++)
        {
            var a = agents[i];

            // Set by a supervisor's override that no longer applies: the mode stays where this decision leaves it, but
            // the reason must stop naming the override.
            var lapsed = !a.Forced && a.Stored is { Forced: true };
            if (!a.Touched && (a.Stored is null || lapsed) && !a.Forced)
            {
                // A new agent this decision leaves service-only, or a lapsed override's: the record says why, from this decision.
                a.Reason = !a.Staffed && a.Mode == AgentMode.ServiceOnly ? "Not taking calls: service-only."
                    : allowed > 0 && a.Mode == AgentMode.ServiceOnly ? "Kept for inbound calls: " + explanation
                    : explanation;
            }

            changes[i] = a.Touched
                ? new AgentModeChange(a.AgentId, a.Mode, a.Pending, a.Since, a.Reason, Changed: a.DiffersFromStored || lapsed)
                : new AgentModeChange(a.AgentId, a.Mode, a.Pending, a.Since, a.Reason, Changed: a.Stored is null || lapsed);
        }

        return new ModeDecision(id, queueId, input.Now, rule, explanation, allowed, changes, inputs)
        {
            PredictedServiceLevelBefore = slBefore,
            PredictedServiceLevelAfter = slAfter,
            CrossSellBefore = before ?? after,
            CrossSellAfter = after,
        };
    }

    /// <summary>The capacity over the horizon; <c>AbandonmentBinds</c> when the abandonment cap, not the service level, set <c>CapOn</c>.</summary>
    private sealed record CapacityPlan(
        int CapOn, int CapOff, double GoalOn, double PlanningRate, IReadOnlyList<(double Rate, int Agents, double Goal)> Intervals,
        bool AbandonmentBinds);

    private sealed record DayFloor(IReadOnlyList<ForecastInterval> Forecast, int Staffed, QueueSettings Settings, double Level);

    /// <summary>One agent's working copy during a decision.</summary>
    private sealed class AgentView
    {
        public required string AgentId { get; init; }

        public AgentModeState? Stored { get; init; }

        public AgentState State { get; init; }

        public bool Staffed { get; init; }

        public bool Forced { get; init; }

        public AgentMode Mode { get; set; }

        public AgentMode? Pending { get; set; }

        public DateTimeOffset Since { get; set; }

        public string Reason { get; set; } = string.Empty;

        public bool Touched { get; set; }

        public double Score { get; set; }

        public AgentMode Intent => Pending ?? Mode;

        public bool DiffersFromStored =>
            Stored is null || Stored.Mode != Mode || Stored.PendingMode != Pending;

        public static List<AgentView> Build(RebalanceInput input)
        {
            var modes = input.CurrentModes;
            var byId = new Dictionary<string, AgentModeState>(modes.Count, StringComparer.Ordinal);
            foreach (var m in modes)
            {
                byId[m.AgentId] = m;
            }

            var forced = input.ForcedModes;
            var list = new List<AgentView>(modes.Count + (input.Snapshot?.Agents.Count ?? 0));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (input.Snapshot is { } snapshot)
            {
                foreach (var p in snapshot.Agents)
                {
                    if (seen.Add(p.AgentId))
                    {
                        byId.TryGetValue(p.AgentId, out var stored);
                        list.Add(Create(p.AgentId, stored, p.State, forced, input.Now));
                    }
                }
            }

            foreach (var m in modes)
            {
                if (seen.Add(m.AgentId))
                {
                    list.Add(Create(m.AgentId, m, AgentState.LoggedOut, forced, input.Now));
                }
            }

            // Deterministic order without a sort (it would cost more than the decision itself at 170 agents every
            // 15 seconds): the snapshot's agents in its order, then agents only known from their stored modes.
            return list;
        }

        private static AgentView Create(
            string agentId, AgentModeState? stored, AgentState state, IReadOnlyDictionary<string, AgentMode>? forced, DateTimeOffset now)
        {
            var isForced = forced is not null && forced.ContainsKey(agentId);
            return new AgentView
            {
                AgentId = agentId,
                Stored = stored,
                State = state,
                Staffed = state.IsStaffed(),
                Forced = isForced,
                Mode = stored?.Mode ?? AgentMode.ServiceOnly,
                Pending = stored?.PendingMode,
                Since = stored?.Since ?? now,
                Reason = stored?.Reason ?? "New agent: service-only until the policy decides.",
            };
        }
    }
}
