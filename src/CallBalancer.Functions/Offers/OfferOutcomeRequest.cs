using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Offers;

/// <summary>The body of <c>POST /api/offers/{offerId}/outcome</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class OfferOutcomeRequest
{
    public string? Outcome { get; set; }

    public string? AgentId { get; set; }

    public string? CustomerId { get; set; }

    public DateTimeOffset? OccurredAt { get; set; }
}
