namespace CallBalancer.Core.Offers;

/// <summary>Who may be offered a product.</summary>
/// <param name="CardTiers">The tiers the offer is open to; empty means every tier.</param>
/// <param name="MinimumTenureMonths">Months the customer must have held a card, at least (0 = none).</param>
/// <param name="SpendingCategories">Spending categories of which the customer must spend in at least one; empty means no condition.</param>
/// <param name="ExclusiveWith">Product ids that exclude this one: a customer holding any of them is not offered it (and vice versa).</param>
public sealed record ProductEligibility(
    IReadOnlyList<CardTier> CardTiers,
    int MinimumTenureMonths,
    IReadOnlyList<string> SpendingCategories,
    IReadOnlyList<string> ExclusiveWith)
{
    /// <summary>Open to everyone.</summary>
    public static ProductEligibility Anyone { get; } = new([], 0, [], []);
}
