namespace CallBalancer.Core.Offers;

/// <summary>
/// What the bank knows about a caller for offers, under a pseudonymous id only (no name, no card number).
/// </summary>
/// <param name="CustomerId">The pseudonymous customer id.</param>
/// <param name="Tier">The main card's tier.</param>
/// <param name="TenureMonths">Months since the customer's first card (&gt;= 0).</param>
/// <param name="Holdings">Product ids the customer already holds.</param>
/// <param name="MonthlySpending">Average monthly spend per spending category (e.g. <c>travel</c>), in the card's currency units.</param>
/// <param name="IsKnown">False for the generic profile used when no profile is stored for the caller.</param>
public sealed record CustomerProfile(
    string CustomerId,
    CardTier Tier,
    int TenureMonths,
    IReadOnlySet<string> Holdings,
    IReadOnlyDictionary<string, double> MonthlySpending,
    bool IsKnown = true)
{
    /// <summary>
    /// The profile of a caller the bank has no profile for: entry tier, no tenure, no holdings, no spending, so only
    /// products open to everyone are offered.
    /// </summary>
    public static CustomerProfile Generic(string customerId) =>
        new(customerId, CardTier.Classic, 0, new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, double>(StringComparer.Ordinal), IsKnown: false);

    /// <summary>True when the customer spends something (&gt; 0) in <paramref name="category"/>.</summary>
    public bool SpendsOn(string category) => MonthlySpending.TryGetValue(category, out var amount) && amount > 0;
}
