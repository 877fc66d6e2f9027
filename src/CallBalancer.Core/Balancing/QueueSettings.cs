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

    /// <summary>Idle agents to keep in reserve before anyone may cross-sell (agents). Default 2.</summary>
    public int IdleReserve { get; init; } = 2;

    /// <summary>A caller waiting this long sends every agent of the queue back to service-only at once (seconds). Default 60.</summary>
    public double EmergencyWaitSeconds { get; init; } = 60;

    /// <summary>This many waiting callers sends every agent of the queue back to service-only at once (calls). Default 10.</summary>
    public int EmergencyQueueLength { get; init; } = 10;

    /// <summary>The least time an agent stays in a mode before a normal (non-emergency) flip (seconds). Default 300.</summary>
    public double MinDwellSeconds { get; init; } = 300;

    /// <summary>A snapshot older than this is stale: the queue is made service-only until a fresh one arrives (seconds). Default 120.</summary>
    public double StaleSnapshotSeconds { get; init; } = 120;
}
