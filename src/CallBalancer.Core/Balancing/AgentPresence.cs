namespace CallBalancer.Core.Balancing;

/// <summary>One agent as seen in a queue snapshot.</summary>
/// <param name="AgentId">The platform's agent (worker) id.</param>
/// <param name="State">What the agent was doing when the snapshot was taken.</param>
public sealed record AgentPresence(string AgentId, AgentState State);
