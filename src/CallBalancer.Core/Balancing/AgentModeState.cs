namespace CallBalancer.Core.Balancing;

/// <summary>The mode currently recorded for one agent, as the desktop reads it.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="QueueId">The queue whose rebalance owns this agent's mode.</param>
/// <param name="Mode">The mode in force.</param>
/// <param name="Since">When <paramref name="Mode"/> took effect.</param>
/// <param name="Reason">Plain-language reason for the mode, from the rule that set it.</param>
/// <param name="DecisionId">The decision that set the mode (see the decision log).</param>
/// <param name="PendingMode">A mode decided while the agent was on a call; it takes effect when the call ends. Null when none.</param>
public sealed record AgentModeState(
    string AgentId,
    string QueueId,
    AgentMode Mode,
    DateTimeOffset Since,
    string Reason,
    string DecisionId,
    AgentMode? PendingMode = null)
{
    /// <summary>
    /// True when a supervisor's override set this mode and its reason. Once the override lapses or is cleared, the next
    /// decision gives the agent its own reason, so a desktop never reads an override that is no longer in force.
    /// </summary>
    public bool Forced { get; init; }
}
