namespace CallBalancer.Core.Offers;

/// <summary>
/// Acceptance propensity per product x call reason x segment, with Bayesian smoothing: a Beta(a, b) prior whose mean is
/// the reason rule's rate (<see cref="ReasonRules.PriorRate"/>) and whose strength a + b is
/// <paramref name="PriorStrength"/> pseudo-offers. With k acceptances in n offers the posterior mean is
/// (a + k) / (a + b + n) (Beta-binomial conjugacy; e.g. Gelman et al., Bayesian Data Analysis, ch. 2), so a cell with
/// few answers stays near the rule and a well-observed cell follows its data.
/// </summary>
/// <param name="PriorStrength">Pseudo-offers the prior is worth (default 20).</param>
/// <param name="SpendingLift">Multiplier on the prior rate when the customer spends in one of the product's categories (default 1.3).</param>
public sealed record PropensityModel(double PriorStrength = 20, double SpendingLift = 1.3)
{
    /// <summary>The default model.</summary>
    public static PropensityModel Default { get; } = new();

    /// <summary>The prior mean for the product on this call for this customer (0..1).</summary>
    public double PriorMean(CallReason reason, Product product, CustomerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(profile);
        var rate = ReasonRules.PriorRate(reason, product.ProductId);
        if (product.Eligibility.SpendingCategories.Any(profile.SpendsOn))
        {
            rate *= SpendingLift;
        }

        return Math.Min(rate, 0.95);
    }

    /// <summary>The posterior mean acceptance probability: (a + k) / (a + b + n), in 0..1.</summary>
    public double Estimate(double priorMean, PropensityCounts observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var a = priorMean * PriorStrength;
        var k = Math.Clamp(observed.Acceptances, 0, Math.Max(0, observed.Offers));
        return (a + k) / (PriorStrength + Math.Max(0, observed.Offers));
    }
}
