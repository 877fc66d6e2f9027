using CallBalancer.Core.Offers;

namespace CallBalancer.Core.Tests.Offers;

/// <summary>Builds profiles, histories and answer sequences from raw FsCheck bytes, deterministically.</summary>
internal static class OfferGen
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    public static readonly string[] Categories = ["travel", "dining", "groceries", "retail", "electronics", "fuel"];

    public static IReadOnlyList<Product> Catalogue => SeedCatalogue.Products;

    public static CustomerProfile Profile(byte tier, byte tenure, int holdingsMask, int spendingMask) =>
        new("c1", (CardTier)(tier % 3), tenure,
            Catalogue.Where((_, i) => (holdingsMask & (1 << i)) != 0).Select(p => p.ProductId).ToHashSet(StringComparer.Ordinal),
            Categories.Where((_, i) => (spendingMask & (1 << i)) != 0).ToDictionary(c => c, _ => 250.0, StringComparer.Ordinal));

    /// <summary>A history of answers in the past 200 days, one per 4 bytes (product, outcome, age in days, reversed?).</summary>
    public static ContactHistory History(byte[] bytes, bool allowOptOut)
    {
        var records = new List<ContactRecord>();
        DateTimeOffset? optOut = null;
        for (var i = 0; i + 3 < bytes.Length && records.Count < 12; i += 4)
        {
            var product = Catalogue[bytes[i] % Catalogue.Count];
            var outcome = (OfferOutcome)(bytes[i + 1] % (allowOptOut ? 4 : 3));
            var at = Now.AddDays(-(bytes[i + 2] % 200)).AddMinutes(-i);
            DateTimeOffset? reversed = outcome == OfferOutcome.Accepted && bytes[i + 3] % 3 == 0 ? at.AddDays(1) : null;
            records.Add(new ContactRecord($"o{i}", product.ProductId, "a1", outcome, at, 0, reversed));
            if (outcome == OfferOutcome.DoNotOfferAgain)
            {
                optOut ??= at;
            }
        }

        return new ContactHistory(records, optOut);
    }
}
