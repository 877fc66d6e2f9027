namespace CallBalancer.Core.Offers;

/// <summary>The customer's answer to one offer. Wire names: <see cref="OfferNames"/>.</summary>
public enum OfferOutcome
{
    /// <summary>Took the product (<c>accepted</c>): credited to the agent.</summary>
    Accepted,

    /// <summary>Said no this time (<c>declined</c>): the product rests for its cool-down.</summary>
    Declined,

    /// <summary>Not interested in hearing an offer (<c>not-interested</c>): the product rests for its cool-down.</summary>
    NotInterested,

    /// <summary>Asked never to be offered anything again (<c>do-not-offer-again</c>): a permanent opt-out from all offers.</summary>
    DoNotOfferAgain,

    /// <summary>Cancelled an accepted product in the cooling-off period (<c>reversed</c>): the credit is taken back.</summary>
    Reversed,
}
