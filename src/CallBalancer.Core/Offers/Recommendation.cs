namespace CallBalancer.Core.Offers;

/// <summary>The offers for a caller, best first, or none and why.</summary>
/// <param name="Offers">0 to 5 offers ranked by expected value (at least 3 whenever 3 products are eligible).</param>
/// <param name="Segment">The customer's segment (<see cref="CustomerSegment"/>), which the learned propensities are kept per.</param>
/// <param name="NoOfferReason">Why the list is empty (complaint, contact limit, opted out, nothing eligible); null otherwise.</param>
public sealed record Recommendation(IReadOnlyList<RecommendedOffer> Offers, string Segment, string? NoOfferReason);
