namespace CallBalancer.Storage;

/// <summary>Where the rebalance finds a queue's supervisor overrides and cross-sell windows.</summary>
public interface IQueueSupervisionSource
{
    /// <summary>The queue's supervisor state (settings and overrides); <see cref="QueueSupervision.None"/> when nothing is set.</summary>
    Task<QueueSupervision> GetAsync(string queueId, CancellationToken cancellationToken = default);
}
