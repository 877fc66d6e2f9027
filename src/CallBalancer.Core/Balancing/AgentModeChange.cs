namespace CallBalancer.Core.Balancing;

/// <summary>One agent's mode as a decision leaves it, and whether that differs from before.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Mode">The mode in force after the decision.</param>
/// <param name="PendingMode">A mode that will take effect when the agent's current call ends; null when none.</param>
/// <param name="Since">When <paramref name="Mode"/> took effect (unchanged when the mode did not change).</param>
/// <param name="Reason">Plain-language reason shown to the agent and the supervisor.</param>
/// <param name="Changed">True when the stored mode or pending mode differs from before and must be written.</param>
public sealed record AgentModeChange(
    string AgentId,
    AgentMode Mode,
    AgentMode? PendingMode,
    DateTimeOffset Since,
    string Reason,
    bool Changed)
{
    /// <summary>True when a supervisor's override sets this mode (<see cref="AgentModeState.Forced"/>).</summary>
    public bool Forced { get; init; }
}
