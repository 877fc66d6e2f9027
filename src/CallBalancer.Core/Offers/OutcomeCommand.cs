namespace CallBalancer.Core.Offers;

/// <summary>An answer to record, as the agent desktop posts it, joined with the offer it answers.</summary>
/// <param name="OfferId">The offer answered.</param>
/// <param name="Product">The product of that offer (for its weights).</param>
/// <param name="AgentId">The agent who made the offer.</param>
/// <param name="CustomerId">The customer who answered.</param>
/// <param name="Outcome">The answer.</param>
/// <param name="OccurredAt">When the customer answered (UTC instant).</param>
public sealed record OutcomeCommand(string OfferId, Product Product, string AgentId, string CustomerId, OfferOutcome Outcome, DateTimeOffset OccurredAt)
{
    /// <summary>The queue the agent served when the offer was shown, if known; carried into the ledger entries.</summary>
    public string? QueueId { get; init; }

    /// <summary>
    /// When the offer was shown, if known: an answer is not taken from before it (beyond a desktop's clock skew), or a
    /// backdated answer could land in an empty window of the contact limit.
    /// </summary>
    public DateTimeOffset? ShownAt { get; init; }
}
