namespace CallBalancer.Core.Queueing;

/// <summary>How much cross-selling a queue can afford now, by <see cref="CrossSellCapacity.Compute"/>.</summary>
/// <param name="MaxCrossSellAgents">k, the most agents that may be in cross-sell mode with the target still met (0 to N).</param>
/// <param name="OfferShare">Share of answered calls that would carry an offer with k agents cross-selling (0 to 1).</param>
/// <param name="OffersPerHour">Offers made per hour with k agents cross-selling (answered calls × <paramref name="OfferShare"/>).</param>
/// <param name="MixedHandleSeconds">The mean handle time of the queue with k agents cross-selling (seconds).</param>
/// <param name="WithoutCrossSell">The prediction with nobody cross-selling (k = 0).</param>
/// <param name="AtCapacity">The prediction with k agents cross-selling.</param>
/// <param name="TargetMetWithoutCrossSell">False when even service-only staffing misses the target; k is then 0.</param>
public sealed record CrossSellCapacityResult(
    int MaxCrossSellAgents,
    double OfferShare,
    double OffersPerHour,
    double MixedHandleSeconds,
    QueueMetrics WithoutCrossSell,
    QueueMetrics AtCapacity,
    bool TargetMetWithoutCrossSell)
{
    /// <summary>Predicted service level with nobody cross-selling (share of calls answered within the target seconds).</summary>
    public double ServiceLevelWithoutCrossSell => WithoutCrossSell.ServiceLevel;

    /// <summary>Predicted service level with <see cref="MaxCrossSellAgents"/> agents cross-selling.</summary>
    public double ServiceLevelAtCapacity => AtCapacity.ServiceLevel;
}
