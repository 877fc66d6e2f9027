using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>An offer shown on an agent's desktop, kept so its answer can be recorded and learned from.</summary>
/// <param name="OfferId">The offer's id.</param>
/// <param name="CustomerId">The customer it was made to.</param>
/// <param name="AgentId">The agent who was shown it.</param>
/// <param name="ProductId">The product.</param>
/// <param name="Reason">The call reason at the time (the propensity cell it updates).</param>
/// <param name="Segment">The customer's segment at the time.</param>
/// <param name="Score">Its expected value when shown.</param>
/// <param name="MadeAt">When it was shown.</param>
public sealed record StoredOffer(string OfferId, string CustomerId, string AgentId, string ProductId, CallReason Reason, string Segment, double Score, DateTimeOffset MadeAt)
{
    /// <summary>The queue the agent served when the offer was shown (its mode record's), or null when not known.</summary>
    public string? QueueId { get; init; }
}
