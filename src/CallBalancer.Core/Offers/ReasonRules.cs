namespace CallBalancer.Core.Offers;

/// <summary>
/// The operations brief's call-reason rules, as prior acceptance rates: a promotion enquiry favours an upgrade, a bill
/// enquiry an instalment plan, an activation e-statements or SMS alerts; a complaint, fraud report, lost card or
/// bereavement gets no offer. Learning (<see cref="PropensityModel"/>) then moves each rate with observed answers.
/// </summary>
public static class ReasonRules
{
    /// <summary>Prior acceptance rate of a product the call reason says nothing about.</summary>
    public const double BaseRate = 0.06;

    /// <summary>Prior acceptance rate of the product the reason points to.</summary>
    public const double FavouredRate = 0.30;

    /// <summary>Prior acceptance rate of a product related to the reason.</summary>
    public const double RelatedRate = 0.15;

    private static readonly Dictionary<CallReason, (string[] Favoured, string[] Related, string Why)> Rules = new()
    {
        [CallReason.PromotionEnquiry] = (["tier-upgrade"], ["credit-limit-increase", "travel-insurance"], "asked about promotions"),
        [CallReason.BillEnquiry] = (["instalment-plan"], ["balance-transfer", "e-statement"], "called about a bill"),
        [CallReason.CardActivation] = (["e-statement", "sms-alerts"], [], "has just activated a card"),
        [CallReason.Payment] = ([], ["instalment-plan", "sms-alerts"], "called about a payment"),
        [CallReason.General] = ([], [], "called with a service request"),
    };

    /// <summary>
    /// Why a reason gets no offer at all, or null when offers are allowed. A complaint is heard, not sold to.
    /// </summary>
    public static string? NoOfferReason(CallReason reason) => reason switch
    {
        CallReason.Complaint => "Complaint call: listen, empathise, apologise and resolve; no offer.",
        CallReason.FraudReport => "Fraud report: secure the account; no offer.",
        CallReason.LostCard => "Lost card: block and replace the card; no offer.",
        CallReason.Bereavement => "Bereavement: support the caller; no offer.",
        _ => null,
    };

    /// <summary>The prior acceptance rate of <paramref name="productId"/> on a call for <paramref name="reason"/> (0..1).</summary>
    public static double PriorRate(CallReason reason, string productId)
    {
        if (!Rules.TryGetValue(reason, out var rule))
        {
            return 0;
        }

        return rule.Favoured.Contains(productId, StringComparer.Ordinal) ? FavouredRate
            : rule.Related.Contains(productId, StringComparer.Ordinal) ? RelatedRate
            : BaseRate;
    }

    /// <summary>True when the reason points straight at the product (it is favoured).</summary>
    public static bool Favours(CallReason reason, string productId) =>
        Rules.TryGetValue(reason, out var rule) && rule.Favoured.Contains(productId, StringComparer.Ordinal);

    /// <summary>The reason in words, for the plain-language <c>why</c> ("called about a bill").</summary>
    public static string Describe(CallReason reason) => Rules.TryGetValue(reason, out var rule) ? rule.Why : reason.ToCode();
}
