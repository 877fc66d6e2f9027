namespace CallBalancer.Core.Offers;

/// <summary>Why the customer called, as the telephony platform or the agent codes it. Wire names: <see cref="OfferNames"/>.</summary>
public enum CallReason
{
    /// <summary>Asked about a promotion (<c>promotion-enquiry</c>): a tier upgrade is favoured.</summary>
    PromotionEnquiry,

    /// <summary>Asked about a bill (<c>bill-enquiry</c>): an instalment plan is favoured.</summary>
    BillEnquiry,

    /// <summary>Activated a card (<c>card-activation</c>): e-statements and SMS alerts are favoured.</summary>
    CardActivation,

    /// <summary>Made or asked about a payment (<c>payment</c>).</summary>
    Payment,

    /// <summary>Any other service request (<c>general</c>).</summary>
    General,

    /// <summary>A complaint (<c>complaint</c>): no offer; listen, empathise, apologise, resolve.</summary>
    Complaint,

    /// <summary>A fraud report (<c>fraud-report</c>): no offer.</summary>
    FraudReport,

    /// <summary>A lost or stolen card (<c>lost-card</c>): no offer.</summary>
    LostCard,

    /// <summary>A bereavement (<c>bereavement</c>): no offer.</summary>
    Bereavement,
}
