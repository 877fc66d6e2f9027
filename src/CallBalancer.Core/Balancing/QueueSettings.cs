namespace CallBalancer.Core.Balancing;

/// <summary>
/// The supervisor-adjustable rules of one queue. An unknown queue uses <see cref="Default"/>.
/// </summary>
public sealed record QueueSettings
{
    /// <summary>The defaults for a queue nobody has configured: 80% of calls answered within 20 seconds.</summary>
    public static QueueSettings Default { get; } = new();

    /// <summary>Share of offered calls to be answered within <see cref="TargetSeconds"/> (0 to 1). Default 0.8.</summary>
    public double ServiceLevelTarget { get; init; } = 0.8;

    /// <summary>The service-level answer time (seconds). Default 20.</summary>
    public double TargetSeconds { get; init; } = 20;

    /// <summary>
    /// The highest share of offered calls that may hang up before an answer (0 to 1), the second service goal: no
    /// cross-sell that the model predicts would take an interval's abandonment past it, and none at all in an interval
    /// whose service-only abandonment is already past it. Agents are added only while the prediction stays at or below
    /// <see cref="AbandonOnShare"/> of it and removed once it passes it (hysteresis, as the service level's margins).
    /// Default 0.05. 1 switches it off.
    /// </summary>
    public double MaxAbandonRate { get; init; } = 0.05;

    /// <summary>The switch-on side of <see cref="MaxAbandonRate"/>, as a share of it: 0.9.</summary>
    public const double AbandonOnShare = 0.9;

    /// <summary>Idle agents to keep in reserve before anyone may cross-sell, in the no-forecast rule (agents). Default 2.</summary>
    public int IdleReserve { get; init; } = 2;

    /// <summary>A caller waiting this long sends every agent of the queue back to service-only at once (seconds). Default 60.</summary>
    public double EmergencyWaitSeconds { get; init; } = 60;

    /// <summary>This many waiting callers sends every agent of the queue back to service-only at once (calls). Default 10.</summary>
    public int EmergencyQueueLength { get; init; } = 10;

    /// <summary>The least time an agent stays in a mode before a normal (non-emergency) flip (seconds). Default 300.</summary>
    public double MinDwellSeconds { get; init; } = 300;

    /// <summary>A snapshot older than this is stale: the queue is made service-only until a fresh one arrives (seconds). Default 120.</summary>
    public double StaleSnapshotSeconds { get; init; } = 120;

    /// <summary>
    /// Hysteresis, switch-on side: cross-sell agents are added only up to the count whose predicted service level
    /// stays at least this far above <see cref="ServiceLevelTarget"/> (share, 0 to 1). Default 0.03.
    /// </summary>
    public double CrossSellOnMargin { get; init; } = 0.03;

    /// <summary>
    /// Hysteresis, switch-off side: cross-sell agents are removed only when the predicted service level of the
    /// current count falls below <see cref="ServiceLevelTarget"/> plus this margin (share, 0 to 1). Must not exceed
    /// <see cref="CrossSellOnMargin"/>. Default 0.01.
    /// </summary>
    public double CrossSellOffMargin { get; init; } = 0.01;

    /// <summary>Share of calls answered in cross-sell mode that are eligible for an offer (0 to 1). Default 0.8.</summary>
    public double EligibleShare { get; init; } = 0.8;

    /// <summary>Mean time an offer adds to a call (seconds). Default 60.</summary>
    public double PitchSeconds { get; init; } = 60;

    /// <summary>Mean caller patience before abandoning, for the Erlang A model (seconds). Default 180.</summary>
    public double PatienceSeconds { get; init; } = 180;

    /// <summary>Estimated mean handle time of a service call without an offer (seconds). Default 180.</summary>
    public double AhtSeconds { get; init; } = 180;

    /// <summary>
    /// How much of the forecast's rate uncertainty the capacity guards against (0 = plan on the expected rate, 1 = on
    /// the upper bound of the forecast interval). The Poisson part of a count's prediction interval is removed first,
    /// because Erlang A already models Poisson arrivals; what remains is the uncertainty of the rate itself. Default
    /// 0.4: 0.51 standard deviations above the expected rate, about its 70th percentile (0.75 before the offer hold
    /// was judged at the pitch; see docs/benchmarks/policy.md).
    /// </summary>
    public double ForecastUpperWeight { get; init; } = 0.4;

    /// <summary>
    /// A live forecast that last learned longer ago than this (seconds) is not used: its refresh has stopped, so the
    /// real-time rule decides, and the decision says why. Default 7,200 (two hours; a forecast refreshed every 15
    /// minutes is at most about half an hour old). Forecasts that do not say when they learned (the simulator's) are
    /// always used.
    /// </summary>
    public double StaleForecastSeconds { get; init; } = 7200;

    /// <summary>
    /// How far ahead the capacity must hold (seconds): the busiest forecast interval starting within this horizon
    /// sets the capacity, because a flip takes effect only after the current call and then lasts at least the dwell.
    /// Default 600: a flip lasts the dwell (300 s) and the call in hand (about 3 minutes) at least.
    /// </summary>
    public double CapacityHorizonSeconds { get; init; } = 600;

    /// <summary>
    /// When true, the capacity plans on the larger of the forecast rate and the rate the snapshot implies (busy agents
    /// plus waiting callers over the current mean handle time), so a surge the forecast missed is caught at once.
    /// Default true.
    /// </summary>
    public bool RealTimeLoadGuard { get; init; } = true;

    /// <summary>
    /// No agent is added to cross-sell while more callers wait than this share of the staffed agents (share; 0 means
    /// while anyone waits). Large queues always have a caller or two in line at their busiest. Default 0.02.
    /// </summary>
    public double HoldWaitingShare { get; init; } = 0.02;

    /// <summary>
    /// No half-hour is sacrificed: cross-sell may bring an interval's predicted service level at most this much below
    /// the service-only level it is measured against (share, 0 to 1): the weakest interval of the whole forecast when
    /// <see cref="FloorFromWholeForecast"/> (the default), else the interval's own. Default 0.03: the issue allows the
    /// worst half-hour 5 points below service-only's, and the model's service-only prediction is a point or two off.
    /// </summary>
    public double MaxServiceLevelDrop { get; init; } = 0.03;

    /// <summary>
    /// When true, <see cref="MaxServiceLevelDrop"/> is measured against the weakest interval of the whole forecast
    /// given (the day's worst half-hour without cross-sell), so the slack of the other intervals can be spent; when
    /// false, against each interval's own service-only level. Default true.
    /// </summary>
    public bool FloorFromWholeForecast { get; init; } = true;

    /// <summary>
    /// No interval may lose more than this against its own service-only level (share, 0 to 1), whatever the day's
    /// floor would allow: a forecast error can turn any interval into the day's weakest. Default 0.08: with the hold
    /// waiting for 3 free agents (<see cref="OfferHoldMinIdleAgents"/>) a predicted drop costs little real service, so the
    /// margin can be wide (0.03 with a hold of 1 free agent; see docs/benchmarks/policy.md).
    /// </summary>
    public double MaxIntervalDrop { get; init; } = 0.08;

    /// <summary>
    /// The offer hold (<see cref="OfferHold"/>): an agent in cross-sell mode makes no offer (judged when the desktop
    /// asks, at the pitch) while more than <see cref="OfferHoldMaxWaiting"/> callers wait or fewer than
    /// <see cref="OfferHoldMinIdleAgents"/> other agents are free. The mode itself does not change. Default true.
    /// </summary>
    public bool OfferHold { get; init; } = true;

    /// <summary>The offer hold applies while more callers than this wait (calls). Default 0: while anyone waits.</summary>
    public int OfferHoldMaxWaiting { get; init; }

    /// <summary>
    /// The offer hold applies while fewer other agents than this are free (agents). Default 3: the pitch starts only
    /// while the queue has a reserve of free agents to absorb a burst (Bhulai &amp; Koole's threshold on idle agents);
    /// the capacity model counts the threshold (<see cref="CrossSellCapacityModel"/>), so a higher one lets more agents
    /// cross-sell. Measured against 1 and 2 in docs/benchmarks/policy.md. A quiet large queue uses less
    /// (<see cref="OfferHoldQuietMinIdleAgents"/>).
    /// </summary>
    public int OfferHoldMinIdleAgents { get; init; } = 3;

    /// <summary>
    /// The offer hold's reserve in a quiet large queue (agents): when the forecast lets every agent of a queue of at
    /// least <see cref="OfferHoldQuietMinAgents"/> staffed agents cross-sell, the reserve comes down from
    /// <see cref="OfferHoldMinIdleAgents"/> towards this as far as the model still predicts the goal with everyone
    /// cross-selling (<see cref="ModePolicy.OfferHoldReserve(QueueSnapshot, IReadOnlyList{ForecastInterval}, QueueSettings, DateTimeOffset)"/>).
    /// Default 1; equal to <see cref="OfferHoldMinIdleAgents"/> switches the rule off.
    /// </summary>
    public int OfferHoldQuietMinIdleAgents { get; init; } = 1;

    /// <summary>
    /// The smallest queue (staffed agents) whose offer hold reserve may come down in quiet intervals. Default 31:
    /// queues of up to 30 agents keep the full reserve (there one agent is a large share of the staff; measured in
    /// docs/benchmarks/policy.md).
    /// </summary>
    public int OfferHoldQuietMinAgents { get; init; } = 31;

    /// <summary>
    /// The offer hold's service-level guard (<see cref="OfferHold.GuardReason"/>): no offer while the calls of the current
    /// half-hour resolved so far (answered with a known wait, or abandoned) were answered within the answer target less
    /// often than <see cref="ServiceLevelTarget"/> plus this margin (share, 0 to 1). The counts are the interval store's,
    /// judged against the telephony setting's answer target (20 s by default, as <see cref="TargetSeconds"/>). Default 0.05: 85% for the
    /// default 80% target. The half-hour that is already going badly is the one a pitch would make the day's worst; the
    /// forecast cannot see that, what has happened can. Measured in docs/benchmarks/policy.md.
    /// </summary>
    public double OfferHoldGuardMargin { get; init; } = 0.05;

    /// <summary>
    /// The offer hold eased where the day has room (<see cref="OfferHold.EasedReserve"/>): once a half-hour of the day
    /// has been answered within the target as rarely as the day's worst so far, a half-hour going at least this much
    /// better (share, and at least at the guard's level) needs one free agent fewer (at least 1) before a pitch. The
    /// half-hour bound is judged against the day's worst half-hour, so the others have that much room. Default 0.3;
    /// 1 switches it off. Measured in docs/benchmarks/policy.md.
    /// </summary>
    public double OfferHoldEaseAboveWorst { get; init; } = 0.3;

    /// <summary>
    /// The day's room (<see cref="DayRoom"/>): once the local day's completed half-hours have been answered within the
    /// target well above it and one of them has gone badly, the capacity's goal for the intervals to come may come down
    /// below the target plus the on-margin, but never below the day's worst half-hour so far plus this (share), and the
    /// abandonment cap stretches while the day is under it. Default 0.1; 1 switches it off. Measured in
    /// docs/benchmarks/policy.md.
    /// </summary>
    public double DayRoomAboveWorst { get; init; } = 0.1;

    /// <summary>
    /// The service-level guard judges the current half-hour once at least this many of its calls are resolved (calls);
    /// before that the half-hour has too few calls to say anything. Default 5; 0 switches the guard off.
    /// </summary>
    public int OfferHoldGuardMinCalls { get; init; } = 5;

    /// <summary>
    /// These settings with the offer hold's reserve in force now (the quiet-queue reserve, the eased reserve): the same
    /// instance when it is already the reserve, so the caches keyed on settings see no new copy.
    /// </summary>
    public QueueSettings WithOfferHoldReserve(int reserve) =>
        reserve == OfferHoldMinIdleAgents ? this : this with { OfferHoldMinIdleAgents = reserve };
}
