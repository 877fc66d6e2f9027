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
    DateTimeOffset Now);
