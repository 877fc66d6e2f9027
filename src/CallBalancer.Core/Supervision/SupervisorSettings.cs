using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Supervision;

/// <summary>
/// Everything a supervisor may set for one queue, as stored and audited. The balancing policy reads the
/// <see cref="QueueSettings"/> made from it by <see cref="ApplyTo"/>; the windows are honoured by
/// <see cref="ModeOverrides"/> (outside every window the queue is service-only). <see cref="ForecastIntervalMinutes"/>
/// is kept for settings stored before 2026-12-07 and read by nothing: the forecast's intervals are the telephony
/// setting's, which the settings API shows and requires in its place.
/// </summary>
public sealed record SupervisorSettings
{
    /// <summary>Share of offered calls to be answered within <see cref="TargetSeconds"/> (0 to 1). Default 0.8.</summary>
    public double ServiceLevelTarget { get; init; } = 0.8;

    /// <summary>The service-level answer time (seconds). Default 20.</summary>
    public double TargetSeconds { get; init; } = 20;

    /// <summary>
    /// The highest acceptable share of callers who hang up before an answer (0 to 1): no cross-sell the model predicts
    /// would take an interval past it (<see cref="QueueSettings.MaxAbandonRate"/>). Default 0.05; 1 switches it off.
    /// </summary>
    public double MaxAbandonRate { get; init; } = 0.05;

    /// <summary>A caller waiting this long sends every agent back to service-only at once (seconds). Default 60.</summary>
    public double EmergencyWaitSeconds { get; init; } = 60;

    /// <summary>This many waiting callers sends every agent back to service-only at once (calls). Default 10.</summary>
    public int EmergencyQueueLength { get; init; } = 10;

    /// <summary>
    /// Hysteresis: the predicted service level must exceed the target by this much (a share) before more agents
    /// may start cross-selling. Default 0.03.
    /// </summary>
    public double CrossSellOnMargin { get; init; } = 0.03;

    /// <summary>
    /// Hysteresis: agents are pulled back to service once the predicted service level falls below the target plus
    /// this (a share, at most <see cref="CrossSellOnMargin"/>). Default 0.01.
    /// </summary>
    public double CrossSellOffMargin { get; init; } = 0.01;

    /// <summary>The least time an agent stays in a mode before a normal flip (seconds). Default 300.</summary>
    public double MinDwellSeconds { get; init; } = 300;

    /// <summary>When cross-selling is allowed at all; empty means at any time.</summary>
    public IReadOnlyList<CrossSellWindow> CrossSellWindows { get; init; } = [];

    /// <summary>Share of calls answered in cross-sell mode that are eligible for an offer (0 to 1). Default 0.8.</summary>
    public double EligibleShare { get; init; } = 0.8;

    /// <summary>Mean time an offer adds to a call (seconds). Default 60.</summary>
    public double PitchSeconds { get; init; } = 60;

    /// <summary>Length of a forecast interval (minutes; divides an hour). Default 30.</summary>
    public int ForecastIntervalMinutes { get; init; } = 30;

    /// <summary>Idle agents kept in reserve before anyone may cross-sell (agents). Default 2.</summary>
    public int IdleReserve { get; init; } = 2;

    /// <summary>
    /// Volume against safety, 1 of 3: how far cross-sell may take a forecast interval's predicted service level below
    /// the day's weakest service-only interval (a share, 0 to 1). Default 0.03.
    /// </summary>
    public double MaxServiceLevelDrop { get; init; } = QueueSettings.Default.MaxServiceLevelDrop;

    /// <summary>
    /// Volume against safety, 2 of 3: how far cross-sell may take any interval's predicted service level below that
    /// interval's own service-only level (a share, 0 to 1). Default 0.08; lower is safer and sells less
    /// (docs/benchmarks/policy.md).
    /// </summary>
    public double MaxIntervalDrop { get; init; } = QueueSettings.Default.MaxIntervalDrop;

    /// <summary>
    /// Volume against safety, 3 of 3: how much of the forecast's rate uncertainty the capacity plans for (0 = the
    /// expected rate, 1 = the upper end of the 80% interval; at most 5). Default 0.4.
    /// </summary>
    public double ForecastUpperWeight { get; init; } = QueueSettings.Default.ForecastUpperWeight;

    /// <summary>
    /// The offer hold: a cross-seller makes no offer (judged at the pitch) while more than
    /// <see cref="OfferHoldMaxWaiting"/> callers wait or fewer than <see cref="OfferHoldMinIdleAgents"/> other agents
    /// are free; the mode does not change. Default true.
    /// </summary>
    public bool OfferHold { get; init; } = QueueSettings.Default.OfferHold;

    /// <summary>The offer hold applies while more callers than this wait (calls). Default 0.</summary>
    public int OfferHoldMaxWaiting { get; init; } = QueueSettings.Default.OfferHoldMaxWaiting;

    /// <summary>The offer hold applies while fewer other agents than this are free (agents). Default 3.</summary>
    public int OfferHoldMinIdleAgents { get; init; } = QueueSettings.Default.OfferHoldMinIdleAgents;

    /// <summary>
    /// The offer hold's reserve in a quiet large queue (agents): it comes down towards this when the forecast lets every
    /// agent cross-sell. Default 1; equal to <see cref="OfferHoldMinIdleAgents"/> switches that off.
    /// </summary>
    public int OfferHoldQuietMinIdleAgents { get; init; } = QueueSettings.Default.OfferHoldQuietMinIdleAgents;

    /// <summary>The smallest queue (staffed agents) whose reserve may come down in quiet intervals. Default 31.</summary>
    public int OfferHoldQuietMinAgents { get; init; } = QueueSettings.Default.OfferHoldQuietMinAgents;

    /// <summary>
    /// The offer hold's service-level guard: no offer while the current half-hour's calls so far were answered within
    /// the target less often than the target plus this margin (share). Default 0.05.
    /// </summary>
    public double OfferHoldGuardMargin { get; init; } = QueueSettings.Default.OfferHoldGuardMargin;

    /// <summary>
    /// The offer hold eased where the day has room: a half-hour going this much better than the day's worst so far (and
    /// at least at the guard's level) needs one free agent fewer (share, 0 to 1; 1 switches it off). Default 0.3.
    /// </summary>
    public double OfferHoldEaseAboveWorst { get; init; } = QueueSettings.Default.OfferHoldEaseAboveWorst;

    /// <summary>
    /// The day's room: once the day so far is answered within the target well above it, the capacity's goal for the
    /// intervals to come may come down, never below the day's worst half-hour so far plus this (share, 0 to 1; 1 switches
    /// it off). Default 0.1.
    /// </summary>
    public double DayRoomAboveWorst { get; init; } = QueueSettings.Default.DayRoomAboveWorst;

    /// <summary>The guard judges the half-hour once this many of its calls are resolved (calls); 0 switches it off. Default 5.</summary>
    public int OfferHoldGuardMinCalls { get; init; } = QueueSettings.Default.OfferHoldGuardMinCalls;

    /// <summary>The supervisor's view of configured defaults (fields the defaults do not carry keep their own defaults).</summary>
    public static SupervisorSettings From(QueueSettings defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return new SupervisorSettings
        {
            ServiceLevelTarget = defaults.ServiceLevelTarget,
            TargetSeconds = defaults.TargetSeconds,
            MaxAbandonRate = defaults.MaxAbandonRate,
            EmergencyWaitSeconds = defaults.EmergencyWaitSeconds,
            EmergencyQueueLength = defaults.EmergencyQueueLength,
            MinDwellSeconds = defaults.MinDwellSeconds,
            IdleReserve = defaults.IdleReserve,
            CrossSellOnMargin = defaults.CrossSellOnMargin,
            CrossSellOffMargin = defaults.CrossSellOffMargin,
            EligibleShare = defaults.EligibleShare,
            PitchSeconds = defaults.PitchSeconds,
            MaxServiceLevelDrop = defaults.MaxServiceLevelDrop,
            MaxIntervalDrop = defaults.MaxIntervalDrop,
            ForecastUpperWeight = defaults.ForecastUpperWeight,
            OfferHold = defaults.OfferHold,
            OfferHoldMaxWaiting = defaults.OfferHoldMaxWaiting,
            OfferHoldMinIdleAgents = defaults.OfferHoldMinIdleAgents,
            OfferHoldQuietMinIdleAgents = defaults.OfferHoldQuietMinIdleAgents,
            OfferHoldQuietMinAgents = defaults.OfferHoldQuietMinAgents,
            OfferHoldGuardMargin = defaults.OfferHoldGuardMargin,
            OfferHoldGuardMinCalls = defaults.OfferHoldGuardMinCalls,
            OfferHoldEaseAboveWorst = defaults.OfferHoldEaseAboveWorst,
            DayRoomAboveWorst = defaults.DayRoomAboveWorst,
        };
    }

    /// <summary>The policy's settings: <paramref name="defaults"/> with every field a supervisor sets replaced.</summary>
    public QueueSettings ApplyTo(QueueSettings defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults with
        {
            ServiceLevelTarget = ServiceLevelTarget,
            TargetSeconds = TargetSeconds,
            MaxAbandonRate = MaxAbandonRate,
            EmergencyWaitSeconds = EmergencyWaitSeconds,
            EmergencyQueueLength = EmergencyQueueLength,
            MinDwellSeconds = MinDwellSeconds,
            IdleReserve = IdleReserve,
            CrossSellOnMargin = CrossSellOnMargin,
            CrossSellOffMargin = CrossSellOffMargin,
            EligibleShare = EligibleShare,
            PitchSeconds = PitchSeconds,
            MaxServiceLevelDrop = MaxServiceLevelDrop,
            MaxIntervalDrop = MaxIntervalDrop,
            ForecastUpperWeight = ForecastUpperWeight,
            OfferHold = OfferHold,
            OfferHoldMaxWaiting = OfferHoldMaxWaiting,
            OfferHoldMinIdleAgents = OfferHoldMinIdleAgents,
            OfferHoldQuietMinIdleAgents = OfferHoldQuietMinIdleAgents,
            OfferHoldQuietMinAgents = OfferHoldQuietMinAgents,
            OfferHoldGuardMargin = OfferHoldGuardMargin,
            OfferHoldGuardMinCalls = OfferHoldGuardMinCalls,
            OfferHoldEaseAboveWorst = OfferHoldEaseAboveWorst,
            DayRoomAboveWorst = DayRoomAboveWorst,
        };
    }

    /// <summary>True when cross-selling is allowed at <paramref name="at"/> by the windows (always, when there are none).</summary>
    public bool AllowsCrossSellAt(DateTimeOffset at) => CrossSellWindows.Count == 0 || CrossSellWindows.Any(w => w.Contains(at));
}
