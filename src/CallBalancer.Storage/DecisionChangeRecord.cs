namespace CallBalancer.Storage;

/// <summary>One agent's change in a recorded decision.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Mode">The mode after the decision (wire name).</param>
/// <param name="PendingMode">The mode pending until the agent's call ends, if any (wire name).</param>
public sealed record DecisionChangeRecord(string AgentId, string Mode, string? PendingMode);
