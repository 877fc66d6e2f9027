using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>Where a rebalance gets a queue's forecast for the coming intervals.</summary>
public interface IForecastSource
{
    /// <summary>The coming intervals' forecast, or null while the queue has no history (the policy's real-time rule applies).</summary>
    Task<IReadOnlyList<ForecastInterval>?> GetUpcomingAsync(string queueId, CancellationToken cancellationToken = default);
}
