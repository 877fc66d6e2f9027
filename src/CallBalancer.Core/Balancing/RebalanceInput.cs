namespace CallBalancer.Core.Balancing;

/// <summary>Everything one queue's rebalance may look at.</summary>
/// <param name="Snapshot">The latest snapshot of the queue; null when none has arrived.</param>
/// <param name="CurrentModes">The modes recorded for the queue's agents before this decision.</param>
/// <param name="Settings">The queue's rules.</param>
/// <param name="Now">The decision time (from the injected <see cref="TimeProvider"/>).</param>
public sealed record RebalanceInput(
    QueueSnapshot? Snapshot,
    IReadOnlyList<AgentModeState> CurrentModes,
    QueueSettings Settings,
    DateTimeOffset Now)
{
    /// <summary>
    /// The arrival forecast for the coming intervals (the interval containing <see cref="Now"/> first), or null
    /// (or empty) for a queue without history: the policy then falls back to the real-time idle-reserve rule.
    /// </summary>
    public IReadOnlyList<ForecastInterval>? Forecast { get; init; }

    /// <summary>Per-agent cross-sell results (agent id to record); agents absent are treated as average.</summary>
    public IReadOnlyDictionary<string, AgentCrossSellStats>? AgentStats { get; init; }

    /// <summary>Agents whose mode a supervisor has forced (agent id to mode): the policy never changes them.</summary>
    public IReadOnlyDictionary<string, AgentMode>? ForcedModes { get; init; }

    /// <summary>True when a supervisor has frozen the queue's modes: only the emergency rule may change them.</summary>
    public bool Frozen { get; init; }

    /// <summary>
    /// The queue's completed half-hours of the local day so far, summed (the interval store's counts), for the day's room
    /// (<see cref="DayRoom"/>); nothing counted leaves no room.
    /// </summary>
    public Telephony.IntervalCounts DaySoFar { get; init; }

    /// <summary>The day's worst completed half-hour so far (<see cref="OfferHold.WorstHalfHour"/>), or null: no room.</summary>
    public double? DayWorstHalfHour { get; init; }
}
