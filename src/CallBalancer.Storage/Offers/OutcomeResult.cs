using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>The result of <see cref="OfferService.RecordOutcomeAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Offer">The offer answered, when found.</param>
/// <param name="Decision">The core's decision, when one was made.</param>
public sealed record OutcomeResult(OutcomeStatus Status, StoredOffer? Offer, OutcomeDecision? Decision);
