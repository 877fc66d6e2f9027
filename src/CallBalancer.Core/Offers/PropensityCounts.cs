namespace CallBalancer.Core.Offers;

/// <summary>Observed answers for one product x call reason x segment cell.</summary>
/// <param name="Offers">Offers with a recorded answer.</param>
/// <param name="Acceptances">Acceptances net of reversals (0 &lt;= acceptances &lt;= offers).</param>
public sealed record PropensityCounts(int Offers, int Acceptances)
{
    /// <summary>No observation yet.</summary>
    public static PropensityCounts None { get; } = new(0, 0);

    /// <summary>The counts after one more answer: an offer for every outcome but a reversal, which takes an acceptance back.</summary>
    public PropensityCounts With(OfferOutcome outcome) => outcome switch
    {
        OfferOutcome.Accepted => new(Offers + 1, Acceptances + 1),
        OfferOutcome.Reversed => new(Offers, Math.Max(0, Acceptances - 1)),
        _ => new(Offers + 1, Acceptances),
    };
}
