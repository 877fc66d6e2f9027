namespace CallBalancer.Functions.Balancing;

/// <summary>One agent in a snapshot request.</summary>
internal sealed class AgentPresenceRequest
{
    public string? AgentId { get; set; }

    public string? State { get; set; }
}
