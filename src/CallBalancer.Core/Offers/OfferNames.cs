namespace CallBalancer.Core.Offers;

/// <summary>The wire names (kebab-case) of call reasons, card tiers and offer outcomes, both ways. Parsing is case-sensitive.</summary>
public static class OfferNames
{
    private static readonly Dictionary<string, CallReason> Reasons = new(StringComparer.Ordinal)
    {
        ["promotion-enquiry"] = CallReason.PromotionEnquiry,
        ["bill-enquiry"] = CallReason.BillEnquiry,
        ["card-activation"] = CallReason.CardActivation,
        ["payment"] = CallReason.Payment,
        ["general"] = CallReason.General,
        ["complaint"] = CallReason.Complaint,
        ["fraud-report"] = CallReason.FraudReport,
        ["lost-card"] = CallReason.LostCard,
        ["bereavement"] = CallReason.Bereavement,
    };

    private static readonly Dictionary<string, CardTier> Tiers = new(StringComparer.Ordinal)
    {
        ["classic"] = CardTier.Classic,
        ["gold"] = CardTier.Gold,
        ["platinum"] = CardTier.Platinum,
    };

    private static readonly Dictionary<string, OfferOutcome> Outcomes = new(StringComparer.Ordinal)
    {
        ["accepted"] = OfferOutcome.Accepted,
        ["declined"] = OfferOutcome.Declined,
        ["not-interested"] = OfferOutcome.NotInterested,
        ["do-not-offer-again"] = OfferOutcome.DoNotOfferAgain,
        ["reversed"] = OfferOutcome.Reversed,
    };

    /// <summary>Every call reason code, for error messages.</summary>
    public static IReadOnlyCollection<string> ReasonCodes => Reasons.Keys;

    /// <summary>Every card tier name, for error messages.</summary>
    public static IReadOnlyCollection<string> TierNames => Tiers.Keys;

    /// <summary>Every outcome name, for error messages.</summary>
    public static IReadOnlyCollection<string> OutcomeNames => Outcomes.Keys;

    /// <summary>Parses a call reason code such as <c>bill-enquiry</c>; false for an unknown code.</summary>
    public static bool TryParseReason(string? code, out CallReason reason) => Reasons.TryGetValue(code ?? string.Empty, out reason);

    /// <summary>Parses a card tier name such as <c>gold</c>.</summary>
    public static bool TryParseTier(string? name, out CardTier tier) => Tiers.TryGetValue(name ?? string.Empty, out tier);

    /// <summary>Parses an outcome name such as <c>not-interested</c>.</summary>
    public static bool TryParseOutcome(string? name, out OfferOutcome outcome) => Outcomes.TryGetValue(name ?? string.Empty, out outcome);

    /// <summary>The wire code of a call reason.</summary>
    public static string ToCode(this CallReason reason) => Reasons.First(p => p.Value == reason).Key;

    /// <summary>The wire name of a card tier.</summary>
    public static string ToName(this CardTier tier) => Tiers.First(p => p.Value == tier).Key;

    /// <summary>The wire name of an outcome.</summary>
    public static string ToName(this OfferOutcome outcome) => Outcomes.First(p => p.Value == outcome).Key;
}
