namespace CallBalancer.Core.Offers;

/// <summary>One offer made to a customer whose answer was recorded: it counts towards the contact limit.</summary>
/// <param name="OfferId">The offer's id (one record per offer).</param>
/// <param name="ProductId">The product offered.</param>
/// <param name="AgentId">The agent who made the offer.</param>
/// <param name="Outcome">The answer (never <see cref="OfferOutcome.Reversed"/>: a reversal is <paramref name="ReversedAt"/>).</param>
/// <param name="OccurredAt">When the customer answered (UTC instant).</param>
/// <param name="Credit">The KPI credit posted for an acceptance (value x difficulty weight at <paramref name="OccurredAt"/>); 0 otherwise.</param>
/// <param name="ReversedAt">When an accepted product was cancelled in the cooling-off period; null if never.</param>
public sealed record ContactRecord(
    string OfferId,
    string ProductId,
    string AgentId,
    OfferOutcome Outcome,
    DateTimeOffset OccurredAt,
    double Credit,
    DateTimeOffset? ReversedAt = null);
