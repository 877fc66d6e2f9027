namespace CallBalancer.Core.Offers;

/// <summary>
/// Every recorded answer of one customer, and a permanent opt-out. Storage keeps it as one entity guarded by its ETag,
/// so two overlapping calls cannot both add an offer past the contact limit.
/// </summary>
/// <param name="Records">The recorded offers, in the order they were recorded.</param>
/// <param name="OptedOutAt">When the customer asked never to be offered anything again; null if never. Permanent.</param>
public sealed record ContactHistory(IReadOnlyList<ContactRecord> Records, DateTimeOffset? OptedOutAt)
{
    /// <summary>The history of a customer never offered anything.</summary>
    public static ContactHistory Empty { get; } = new([], null);

    /// <summary>The record of an offer, or null.</summary>
    public ContactRecord? Find(string offerId) => Records.FirstOrDefault(r => string.Equals(r.OfferId, offerId, StringComparison.Ordinal));

    /// <summary>Products accepted and not reversed: held from then on, even before the profile says so.</summary>
    public IEnumerable<string> AcceptedProducts => Records.Where(r => r.Outcome == OfferOutcome.Accepted && r.ReversedAt is null).Select(r => r.ProductId);

    /// <summary>
    /// When <paramref name="product"/> may next be offered after a decline, a not-interested or a reversal
    /// (the latest such answer plus the product's cool-down); null when nothing holds it back.
    /// </summary>
    public DateTimeOffset? CoolDownUntil(Product product)
    {
        ArgumentNullException.ThrowIfNull(product);
        DateTimeOffset? latest = null;
        foreach (var r in Records.Where(r => string.Equals(r.ProductId, product.ProductId, StringComparison.Ordinal)))
        {
            DateTimeOffset? rest = r.Outcome is OfferOutcome.Declined or OfferOutcome.NotInterested ? r.OccurredAt : r.ReversedAt;
            if (rest is not null && (latest is null || rest > latest))
            {
                latest = rest;
            }
        }

        return latest?.AddDays(product.CoolDownDays);
    }
}
