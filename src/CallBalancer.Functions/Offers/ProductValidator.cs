using CallBalancer.Core.Offers;
using CallBalancer.Storage;

namespace CallBalancer.Functions.Offers;

/// <summary>Turns a product request into a product, or the errors by field (request spelling).</summary>
internal static class ProductValidator
{
    private const double MaxWeight = 1000;

    /// <summary>The earliest instant the Table service stores (Azurite takes earlier ones; Azure Storage refuses them).</summary>
    private static readonly DateTimeOffset EarliestStored = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The most ids in <c>spendingCategories</c> or <c>exclusiveWith</c> (as customer profiles' holdings).</summary>
    public const int MaxListed = 50;

    /// <summary>
    /// Validates a product. A weight change of an existing product takes effect at the earliest <paramref name="changeLead"/>
    /// from now (its default): an answer is credited with the weights in force at its <c>occurredAt</c>, which may be
    /// stamped a few minutes ahead, by an instance that may still hold the catalogue read before the change; an earlier
    /// effective date could credit answers after it with the old weights, and ledger entries never change.
    /// </summary>
    /// <remarks>Weight periods that ended more than <paramref name="answerWindow"/> ago (how long an offer can be answered) are forgotten.</remarks>
    public static (Product? Product, Dictionary<string, string[]> Errors) Validate(
        string productId, ProductRequest body, Product? existing, DateTimeOffset now, TimeSpan changeLead, TimeSpan answerWindow)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        if (!TableKeys.IsValidId(productId))
        {
            Error("productId", "Product ids are 1-64 letters, digits, '.', '_', '-' or ':'.");
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            Error("name", "A name of 1-100 characters is required.");
        }

        if (!TableKeys.IsValidId(body.Category))
        {
            Error("category", "A category id (1-64 letters, digits, '.', '_', '-' or ':') is required.");
        }

        foreach (var (field, value) in new[] { ("valueWeight", body.ValueWeight), ("difficultyWeight", body.DifficultyWeight) })
        {
            if (value is not { } v || !double.IsFinite(v) || v <= 0 || v > MaxWeight)
            {
                Error(field, $"A weight above 0 and at most {MaxWeight} is required.");
            }
        }

        var earliestChange = now + changeLead;
        var effective = body.WeightsEffectiveFrom ?? (existing is null ? now : earliestChange);
        if (effective < now.AddMinutes(-5))
        {
            Error("weightsEffectiveFrom", "A weight change applies from its effective date on; it cannot be back-dated.");
        }

        if (body.CoolDownDays is not { } cool || cool < 0 || cool > 3650)
        {
            Error("coolDownDays", "Days of cool-down after a decline, 0 to 3,650, are required.");
        }

        foreach (var (field, value) in new[] { ("activeFrom", body.ActiveFrom), ("activeTo", body.ActiveTo) })
        {
            if (value < EarliestStored)
            {
                Error(field, "A date from 1601-01-01 on (the earliest the Table service stores).");
            }
        }

        if (body.ActiveFrom is { } from && body.ActiveTo is { } to && to <= from)
        {
            Error("activeTo", "activeTo must be after activeFrom.");
        }

        var e = body.Eligibility ?? new EligibilityRequest();
        var tiers = new List<CardTier>();
        foreach (var (t, i) in (e.CardTiers ?? []).Select((t, i) => (t, i)))
        {
            if (OfferNames.TryParseTier(t, out var tier))
            {
                tiers.Add(tier);
            }
            else
            {
                Error($"eligibility.cardTiers[{i}]", $"Unknown tier '{t}'; known: {string.Join(", ", OfferNames.TierNames)}.");
            }
        }

        if (e.MinimumTenureMonths is < 0 or > 1200)
        {
            Error("eligibility.minimumTenureMonths", "Months from 0 to 1,200.");
        }

        foreach (var (list, name) in new[] { (e.SpendingCategories, "spendingCategories"), (e.ExclusiveWith, "exclusiveWith") })
        {
            if (list is { Length: > MaxListed })
            {
                Error($"eligibility.{name}", $"At most {MaxListed} ids, got {list.Length}.");
                continue;
            }

            foreach (var (v, i) in (list ?? []).Select((v, i) => (v, i)))
            {
                if (!TableKeys.IsValidId(v) || v.Contains(',', StringComparison.Ordinal))
                {
                    Error($"eligibility.{name}[{i}]", "Ids are 1-64 letters, digits, '.', '_', '-' or ':'.");
                }
            }
        }

        if ((e.ExclusiveWith ?? []).Contains(productId, StringComparer.Ordinal))
        {
            Error("eligibility.exclusiveWith", "A product cannot exclude itself.");
        }

        if (body.Reason is { Length: > Supervision.QueueSettingsMapper.MaxReasonLength })
        {
            Error("reason", $"At most {Supervision.QueueSettingsMapper.MaxReasonLength} characters.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var weights = new ProductWeights(effective, body.ValueWeight!.Value, body.DifficultyWeight!.Value);
        var eligibility = new ProductEligibility(tiers.Distinct().ToList(), e.MinimumTenureMonths ?? 0,
            (e.SpendingCategories ?? []).Distinct(StringComparer.Ordinal).ToList(), (e.ExclusiveWith ?? []).Distinct(StringComparer.Ordinal).ToList());
        var product = new Product(productId, body.Name!.Trim(), body.Category!, existing?.Weights ?? [weights], eligibility, body.CoolDownDays!.Value,
            body.ActiveFrom, body.ActiveTo);

        // Unchanged weights add no change; changed weights apply from their effective date on.
        var current = product.WeightsAt(effective);
        if (existing is not null && (current.ValueWeight != weights.ValueWeight || current.DifficultyWeight != weights.DifficultyWeight))
        {
            if (effective < earliestChange)
            {
                Error("weightsEffectiveFrom", $"A weight change takes effect at the earliest {changeLead.TotalSeconds:0} s from now ({earliestChange:O}): "
                    + "answers may be stamped up to 5 minutes ahead and other instances reuse the catalogue they read for a while, so an earlier "
                    + "date could credit answers after it with the old weights. Leave weightsEffectiveFrom out for the earliest instant.");
                return (null, errors);
            }

            product = product.WithWeightsFrom(weights);
        }

        product = product.ForgetWeightsEndedBefore(now - answerWindow);
        if (product.Weights.Count > Product.MaxWeightPeriods)
        {
            Error("valueWeight", $"The weights changed {product.Weights.Count - 1} times in the last {answerWindow.TotalDays:0} days, which answers may still "
                + $"be credited from; a product keeps at most {Product.MaxWeightPeriods} periods. Change them less often.");
            return (null, errors);
        }

        return (product, errors);
    }
}
