using CallBalancer.Core.Offers;
using CallBalancer.Storage;

namespace CallBalancer.Functions.Offers;

/// <summary>Checks a profile's fields, by JSON name or by CSV column (the <paramref name="prefix"/> says where).</summary>
internal static class CustomerProfileValidator
{
    public const int MaxEntries = 50;

    public static CustomerProfile? Validate(
        string customerId, string? tierName, int? tenure, IEnumerable<string>? holdings, IReadOnlyDictionary<string, double>? spending,
        Dictionary<string, string[]> errors, string prefix = "")
    {
        var before = errors.Count;
        if (!TableKeys.IsValidId(customerId))
        {
            errors[prefix + "customerId"] = ["Customer ids are pseudonymous: 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        if (!OfferNames.TryParseTier(tierName, out var tier))
        {
            errors[prefix + "tier"] = [$"One of: {string.Join(", ", OfferNames.TierNames)}."];
        }

        if (tenure is not (>= 0 and <= 1200))
        {
            errors[prefix + "tenureMonths"] = ["Months from 0 to 1,200 are required."];
        }

        var held = (holdings ?? []).ToList();
        if (held.Count > MaxEntries || held.Any(h => !TableKeys.IsValidId(h) || h.Contains(',', StringComparison.Ordinal)))
        {
            errors[prefix + "holdings"] = [$"At most {MaxEntries} product ids (1-64 letters, digits, '.', '_', '-' or ':')."];
        }

        var spend = spending ?? new Dictionary<string, double>();
        if (spend.Count > MaxEntries || spend.Any(p => !TableKeys.IsValidId(p.Key) || !double.IsFinite(p.Value) || p.Value < 0))
        {
            errors[prefix + "monthlySpending"] = [$"At most {MaxEntries} categories, each an id with an amount of 0 or more."];
        }

        return errors.Count > before
            ? null
            : new CustomerProfile(customerId, tier, tenure!.Value, held.ToHashSet(StringComparer.Ordinal),
                new Dictionary<string, double>(spend, StringComparer.Ordinal));
    }
}
