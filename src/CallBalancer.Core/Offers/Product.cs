namespace CallBalancer.Core.Offers;

/// <summary>A product of the cross-sell catalogue.</summary>
/// <param name="ProductId">Stable id, e.g. <c>tier-upgrade</c>.</param>
/// <param name="Name">What the agent desktop shows.</param>
/// <param name="Category">A grouping such as <c>card</c>, <c>credit</c>, <c>service</c>, <c>insurance</c>.</param>
/// <param name="Weights">The KPI weights over time, oldest first (at least one); a change applies from its effective date on.</param>
/// <param name="Eligibility">Who may be offered it.</param>
/// <param name="CoolDownDays">Days the product is not offered again to a customer after a decline or a reversal.</param>
/// <param name="ActiveFrom">First instant it may be offered; null = always.</param>
/// <param name="ActiveTo">Instant from which it is no longer offered (exclusive); null = open-ended.</param>
public sealed record Product(
    string ProductId,
    string Name,
    string Category,
    IReadOnlyList<ProductWeights> Weights,
    ProductEligibility Eligibility,
    int CoolDownDays,
    DateTimeOffset? ActiveFrom,
    DateTimeOffset? ActiveTo)
{
    /// <summary>The weights in force at <paramref name="at"/>: the latest change effective at or before it (the first, before any).</summary>
    public ProductWeights WeightsAt(DateTimeOffset at)
    {
        var current = Weights[0];
        foreach (var w in Weights)
        {
            if (w.EffectiveFrom <= at && w.EffectiveFrom >= current.EffectiveFrom)
            {
                current = w;
            }
        }

        return current;
    }

    /// <summary>True when the product may be offered at <paramref name="at"/> (within its active dates).</summary>
    public bool IsActiveAt(DateTimeOffset at) => (ActiveFrom is null || at >= ActiveFrom) && (ActiveTo is null || at < ActiveTo);

    /// <summary>
    /// This product with weights changed from <paramref name="change"/>'s effective date on: later scheduled changes are
    /// replaced, earlier ones kept, so history before the date is never rewritten.
    /// </summary>
    public Product WithWeightsFrom(ProductWeights change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var kept = Weights.Where(w => w.EffectiveFrom < change.EffectiveFrom).ToList();
        kept.Add(change);
        return this with { Weights = kept };
    }

    /// <summary>The most weight periods a product keeps (its row holds them all; about 80 characters each).</summary>
    public const int MaxWeightPeriods = 200;

    /// <summary>
    /// This product without the weight periods that ended before <paramref name="cutoff"/>: no answer can be credited
    /// at an instant before it once offers older than it are gone, and kept for ever they grew the product's row past
    /// what the Table service stores (about 390 changes). The period in force at the cutoff is kept.
    /// </summary>
    public Product ForgetWeightsEndedBefore(DateTimeOffset cutoff)
    {
        var ordered = Weights.OrderBy(w => w.EffectiveFrom).ToList();
        var kept = ordered.Where((w, i) => i == ordered.Count - 1 || ordered[i + 1].EffectiveFrom > cutoff).ToList();
        return kept.Count == Weights.Count ? this : this with { Weights = kept };
    }
}
