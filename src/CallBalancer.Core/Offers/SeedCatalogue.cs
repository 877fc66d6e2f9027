namespace CallBalancer.Core.Offers;

/// <summary>
/// The starter catalogue of a credit-card issuer, loaded into an empty catalogue table. Weights are relative points
/// chosen so that credit products (upgrade, balance transfer) outrank service features (e-statements) when both are
/// equally likely to be accepted; supervisors adjust them through the products API.
/// </summary>
public static class SeedCatalogue
{
    /// <summary>When the seed weights take effect (before any replayed or live traffic).</summary>
    public static readonly DateTimeOffset SeedEffectiveFrom = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The eight seed products.</summary>
    public static IReadOnlyList<Product> Products { get; } =
    [
        Make("tier-upgrade", "Upgrade to the next card tier", "card", 8.0, 1.5, 90,
            new([CardTier.Classic, CardTier.Gold], 6, [], [])),
        Make("instalment-plan", "Instalment plan for large purchases", "credit", 5.0, 1.2, 30,
            new([], 3, ["retail", "electronics", "travel"], ["balance-transfer"])),
        Make("balance-transfer", "Balance transfer at a reduced rate", "credit", 6.0, 1.3, 60,
            new([], 12, [], ["instalment-plan"])),
        Make("e-statement", "Paperless e-statements", "service", 1.0, 0.5, 30, ProductEligibility.Anyone),
        Make("sms-alerts", "SMS transaction alerts", "service", 1.5, 0.5, 30, ProductEligibility.Anyone),
        Make("travel-insurance", "Travel insurance", "insurance", 4.0, 1.0, 60,
            new([], 0, ["travel"], [])),
        Make("credit-limit-increase", "Credit-limit increase", "credit", 5.0, 1.0, 90,
            new([], 12, [], [])),
        Make("supplementary-card", "Supplementary card for a family member", "card", 3.0, 1.0, 60, ProductEligibility.Anyone),
    ];

    private static Product Make(string id, string name, string category, double value, double difficulty, int coolDownDays, ProductEligibility eligibility) =>
        new(id, name, category, [new ProductWeights(SeedEffectiveFrom, value, difficulty)], eligibility, coolDownDays, null, null);
}
