using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>Everything a recommendation reads, gathered before deciding (so the reads can overlap the agent-mode read).</summary>
/// <param name="CustomerId">The caller.</param>
/// <param name="Reason">The call reason.</param>
/// <param name="Profile">The stored profile, or the generic one.</param>
/// <param name="History">The contact history.</param>
/// <param name="Observed">Learned counts for the reason and the profile's segment.</param>
/// <param name="Catalogue">The catalogue.</param>
public sealed record OfferContext(
    string CustomerId,
    CallReason Reason,
    CustomerProfile Profile,
    ContactHistory History,
    IReadOnlyDictionary<string, PropensityCounts> Observed,
    IReadOnlyList<Product> Catalogue);
