using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>
/// How a replayed caller answers an offer. The "true" acceptance rates are hidden from the recommender and differ from
/// its rules on purpose (so learning has something to find): a per product x reason rate drawn once from a hash, raised
/// when the reason points at the product, raised for loyal customers and for spending that matches. Answers come from a
/// hash of call and product, so every policy compared in a run gets the same answer for the same offer on the same call.
/// </summary>
internal static class SimulatedCustomer
{
    /// <summary>Share of acceptances cancelled in the cooling-off period.</summary>
    public const double ReversalShare = 0.05;

    public static double TrueRate(string productId, CallReason reason, CustomerProfile profile)
    {
        var rate = 0.02 + 0.18 * StableHash.Uniform("truth", productId, reason.ToCode());
        if (ReasonRules.Favours(reason, productId))
        {
            rate += 0.15;
        }

        if (profile.TenureMonths >= 60)
        {
            rate *= 1.2;
        }

        var product = SeedCatalogue.Products.First(p => p.ProductId == productId);
        if (product.Eligibility.SpendingCategories.Any(profile.SpendsOn))
        {
            rate *= 1.3;
        }

        return Math.Min(rate, 0.9);
    }

    public static OfferOutcome Answer(ReplayCall call, string productId, CustomerProfile profile)
    {
        if (StableHash.Uniform("answer", call.CallId, productId) < TrueRate(productId, call.Reason, profile))
        {
            return OfferOutcome.Accepted;
        }

        var u = StableHash.Uniform("no", call.CallId, productId);
        return u < 0.02 ? OfferOutcome.DoNotOfferAgain : u < 0.62 ? OfferOutcome.Declined : OfferOutcome.NotInterested;
    }

    public static bool Reverses(ReplayCall call, string productId) => StableHash.Uniform("reverse", call.CallId, productId) < ReversalShare;
}
