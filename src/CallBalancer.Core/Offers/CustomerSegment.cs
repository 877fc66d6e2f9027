namespace CallBalancer.Core.Offers;

/// <summary>
/// The segment propensities are learned per: card tier x tenure band (<c>gold-established</c>), or <c>unknown</c>
/// for callers without a profile. Coarse on purpose: every cell must collect enough outcomes to learn from.
/// </summary>
public static class CustomerSegment
{
    /// <summary>The segment of a profile.</summary>
    public static string Of(CustomerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!profile.IsKnown)
        {
            return "unknown";
        }

        var band = profile.TenureMonths switch
        {
            < 12 => "new",
            < 60 => "established",
            _ => "loyal",
        };
        return $"{profile.Tier.ToName()}-{band}";
    }
}
