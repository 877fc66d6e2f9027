namespace CallBalancer.Storage;

/// <summary>Where a rebalance run puts its work items for queue-triggered workers on other instances.</summary>
public interface IRebalanceWorkQueue
{
    /// <summary>Enqueues one work item.</summary>
    Task EnqueueAsync(RebalanceWorkItem item, CancellationToken cancellationToken = default);

    /// <summary>The queue's name and approximate length, for the status endpoint; throws when the queue service is unreachable.</summary>
    Task<(string Name, int ApproximateMessages)> GetLengthAsync(CancellationToken cancellationToken = default);
}
