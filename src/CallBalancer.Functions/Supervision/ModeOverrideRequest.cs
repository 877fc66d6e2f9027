using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// The body of <c>POST /api/queues/{queueId}/overrides</c>: <c>scope</c> <c>agent</c> (with <c>agentId</c> and
/// <c>mode</c>), <c>queue</c> (with <c>mode</c>) or <c>freeze</c>; optional <c>until</c> (ISO 8601, in the future);
/// required <c>reason</c>. An unknown field is refused (400): a misspelt <c>until</c> would otherwise make a one-hour
/// override one that holds until cleared.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ModeOverrideRequest
{
    public string? Scope { get; init; }

    public string? AgentId { get; init; }

    public string? Mode { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? Reason { get; init; }
}
