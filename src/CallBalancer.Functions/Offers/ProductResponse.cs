using CallBalancer.Core.Offers;

namespace CallBalancer.Functions.Offers;

/// <summary>A product as the products API shows it: the current weights and their history.</summary>
internal static class ProductResponse
{
    public static object From(Product p, DateTimeOffset now)
    {
        var current = p.WeightsAt(now);
        return new
        {
            productId = p.ProductId,
            name = p.Name,
            category = p.Category,
            valueWeight = current.ValueWeight,
            difficultyWeight = current.DifficultyWeight,
            weights = p.Weights.Select(w => new { effectiveFrom = w.EffectiveFrom, valueWeight = w.ValueWeight, difficultyWeight = w.DifficultyWeight }),
            eligibility = Eligibility(p.Eligibility),
            coolDownDays = p.CoolDownDays,
            activeFrom = p.ActiveFrom,
            activeTo = p.ActiveTo,
            activeNow = p.IsActiveAt(now),
        };
    }

    /// <summary>
    /// A product as the catalogue's audit records it: its definition with the newest weight period (what an edit sets),
    /// not the whole history, so a record stays well inside a table property (at most about 11,000 characters).
    /// </summary>
    public static object ForAudit(Product p)
    {
        var newest = p.Weights[^1];
        return new
        {
            name = p.Name,
            category = p.Category,
            valueWeight = newest.ValueWeight,
            difficultyWeight = newest.DifficultyWeight,
            weightsEffectiveFrom = newest.EffectiveFrom,
            eligibility = Eligibility(p.Eligibility),
            coolDownDays = p.CoolDownDays,
            activeFrom = p.ActiveFrom,
            activeTo = p.ActiveTo,
        };
    }

    private static object Eligibility(ProductEligibility e) => new
    {
        cardTiers = e.CardTiers.Select(t => t.ToName()),
        minimumTenureMonths = e.MinimumTenureMonths,
        spendingCategories = e.SpendingCategories,
        exclusiveWith = e.ExclusiveWith,
    };
}
