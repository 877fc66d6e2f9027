using System.ComponentModel.DataAnnotations;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Functions;

/// <summary>
/// The default rules for every queue, bound from <c>CallBalancer:Balancing</c> (app settings
/// <c>CallBalancer__Balancing__X</c>). Per-queue settings set by supervisors take precedence.
/// </summary>
public sealed class BalancingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Balancing";

    /// <summary>Service-level target share, 0.5 to 0.99. Default 0.8.</summary>
    [Range(0.5, 0.99)]
    public double ServiceLevelTarget { get; set; } = 0.8;

    /// <summary>Service-level answer time in seconds, 1 to 600. Default 20.</summary>
    [Range(1, 600)]
    public double TargetSeconds { get; set; } = 20;

    /// <summary>
    /// The highest predicted share of callers hanging up before an answer that cross-sell may cause, 0 to 1 (1 switches
    /// it off). Default 0.05.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MaxAbandonRate { get; set; } = 0.05;

    /// <summary>Idle agents kept in reserve, 0 to 1,000. Default 2.</summary>
    [Range(0, 1000)]
    public int IdleReserve { get; set; } = 2;

    /// <summary>Emergency wait in seconds, 5 to 3,600. Default 60.</summary>
    [Range(5, 3600)]
    public double EmergencyWaitSeconds { get; set; } = 60;

    /// <summary>Emergency queue length in calls, 1 to 100,000. Default 10.</summary>
    [Range(1, 100_000)]
    public int EmergencyQueueLength { get; set; } = 10;

    /// <summary>Minimum dwell per agent in seconds, 0 to 7,200. Default 300.</summary>
    [Range(0, 7200)]
    public double MinDwellSeconds { get; set; } = 300;

    /// <summary>Snapshot age in seconds after which a queue is made service-only, 15 to 3,600. Default 120.</summary>
    [Range(15, 3600)]
    public double StaleSnapshotSeconds { get; set; } = 120;

    /// <summary>
    /// Age in seconds of the last completed rebalance after which the agent-mode answer fails safe to
    /// service-only (the balancer has stopped), 30 to 3,600. Default 120.
    /// </summary>
    [Range(30, 3600)]
    public double StaleRebalanceSeconds { get; set; } = 120;

    /// <summary>
    /// Age in minutes of what a live forecast last learned after which it is not used (its refresh has stopped) and
    /// the real-time rule decides, 30 to 1,440. Default 120.
    /// </summary>
    [Range(30, 1440)]
    public double StaleForecastMinutes { get; set; } = 120;

    /// <summary>The queue settings these options describe.</summary>
    public QueueSettings ToQueueSettings() => new()
    {
        ServiceLevelTarget = ServiceLevelTarget,
        TargetSeconds = TargetSeconds,
        MaxAbandonRate = MaxAbandonRate,
        IdleReserve = IdleReserve,
        EmergencyWaitSeconds = EmergencyWaitSeconds,
        EmergencyQueueLength = EmergencyQueueLength,
        MinDwellSeconds = MinDwellSeconds,
        StaleSnapshotSeconds = StaleSnapshotSeconds,
        StaleForecastSeconds = StaleForecastMinutes * 60,
    };
}
