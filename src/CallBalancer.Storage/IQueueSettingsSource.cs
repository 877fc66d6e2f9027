using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>Where a queue's settings come from (configured defaults now; the supervisor's per-queue settings later).</summary>
public interface IQueueSettingsSource
{
    /// <summary>The settings in force for a queue; an unknown queue gets the defaults.</summary>
    Task<QueueSettings> GetAsync(string queueId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The configured defaults: what a queue nobody configured gets, and what the rebalance decides an emergency on when
    /// the queue's own settings cannot be read.
    /// </summary>
    QueueSettings Defaults { get; }
}
