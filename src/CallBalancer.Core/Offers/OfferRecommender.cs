using System.Globalization;

namespace CallBalancer.Core.Offers;

/// <summary>
/// Chooses 3 to 5 products for the caller on the line: drops what must not be offered (held, ineligible, inactive, in
/// cool-down, opted out, exclusive with a holding), ranks the rest by expected value (propensity x value weight) and
/// says why in plain language. Pure and allocation-light: it runs inside the desktop's request.
/// </summary>
/// <param name="policy">The contact limit: when one more recorded offer would break it, no offer is shown.</param>
/// <param name="model">The propensity model.</param>
public sealed class OfferRecommender(ContactPolicy policy, PropensityModel model)
{
    /// <summary>The most offers shown.</summary>
    public const int MaxOffers = 5;

    /// <summary>The fewest offers shown whenever that many are eligible.</summary>
    public const int MinOffers = 3;

    /// <summary>The contact policy in force.</summary>
    public ContactPolicy Policy => policy;

    /// <summary>Recommends offers for one caller.</summary>
    /// <param name="profile">The caller's profile (<see cref="CustomerProfile.Generic"/> when unknown).</param>
    /// <param name="history">The caller's contact history.</param>
    /// <param name="reason">Why the customer called.</param>
    /// <param name="catalogue">The product catalogue.</param>
    /// <param name="observed">Observed answers per product id for this reason and the caller's segment (missing = none).</param>
    /// <param name="now">The current instant.</param>
    public Recommendation Recommend(
        CustomerProfile profile,
        ContactHistory history,
        CallReason reason,
        IReadOnlyList<Product> catalogue,
        IReadOnlyDictionary<string, PropensityCounts> observed,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(observed);
        var segment = CustomerSegment.Of(profile);

        if (ReasonRules.NoOfferReason(reason) is { } noOffer)
        {
            return new([], segment, noOffer);
        }

        if (history.OptedOutAt is not null)
        {
            return new([], segment, "The customer asked never to be offered anything again; no offer.");
        }

        if (!policy.CanRecordAt(history.Records.Select(r => r.OccurredAt), now))
        {
            return new([], segment,
                $"Contact limit reached: {policy.MaxOffers} offers answered within {policy.WindowDays} days; no offer, so the customer is not over-marketed.");
        }

        var candidates = new List<RecommendedOffer>(catalogue.Count);
        foreach (var product in catalogue)
        {
            if (Exclusion(product, profile, history, now) is not null)
            {
                continue;
            }

            var counts = observed.TryGetValue(product.ProductId, out var c) ? c : PropensityCounts.None;
            var propensity = model.Estimate(model.PriorMean(reason, product, profile), counts);
            var value = product.WeightsAt(now).ValueWeight;
            candidates.Add(new RecommendedOffer(product.ProductId, product.Name, propensity * value, propensity,
                Why(product, profile, reason, propensity, counts)));
        }

        if (candidates.Count == 0)
        {
            return new([], segment, "No product is eligible for this customer now (held, ineligible, resting after a decline or out of its active dates).");
        }

        candidates.Sort((a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.ProductId, b.ProductId);
        });
        return new(candidates.Take(MaxOffers).ToList(), segment, null);
    }

    /// <summary>Why <paramref name="product"/> must not be offered to this customer now, or null when it may be.</summary>
    public static string? Exclusion(Product product, CustomerProfile profile, ContactHistory history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(history);
        if (!product.IsActiveAt(now))
        {
            return "inactive";
        }

        var held = profile.Holdings.Contains(product.ProductId) || history.AcceptedProducts.Contains(product.ProductId, StringComparer.Ordinal);
        if (held)
        {
            return "held";
        }

        var rules = product.Eligibility;
        if (rules.CardTiers.Count > 0 && !rules.CardTiers.Contains(profile.Tier))
        {
            return "tier";
        }

        if (profile.TenureMonths < rules.MinimumTenureMonths)
        {
            return "tenure";
        }

        if (rules.SpendingCategories.Count > 0 && !rules.SpendingCategories.Any(profile.SpendsOn))
        {
            return "spending";
        }

        if (rules.ExclusiveWith.Any(x => profile.Holdings.Contains(x) || history.AcceptedProducts.Contains(x, StringComparer.Ordinal)))
        {
            return "exclusive";
        }

        if (history.CoolDownUntil(product) is { } until && now < until)
        {
            return "cool-down";
        }

        return history.OptedOutAt is not null ? "opted-out" : null;
    }

    private static string Why(Product product, CustomerProfile profile, CallReason reason, double propensity, PropensityCounts counts)
    {
        var parts = new List<string>(3);
        var caller = profile.IsKnown
            ? $"A {profile.Tier.ToName()} cardholder of {profile.TenureMonths} months {ReasonRules.Describe(reason)}"
            : $"The caller {ReasonRules.Describe(reason)}";
        parts.Add(ReasonRules.Favours(reason, product.ProductId) ? $"{caller}, which this product answers directly." : $"{caller}.");

        var spend = product.Eligibility.SpendingCategories.Where(profile.SpendsOn).ToList();
        if (spend.Count > 0)
        {
            parts.Add($"Spends on {string.Join(" and ", spend)}.");
        }

        parts.Add(counts.Offers > 0
            ? string.Create(CultureInfo.InvariantCulture, $"About {propensity:P0} of similar callers accept ({counts.Acceptances} of {counts.Offers} so far).")
            : string.Create(CultureInfo.InvariantCulture, $"Expected acceptance about {propensity:P0}."));
        return string.Join(' ', parts);
    }
}
