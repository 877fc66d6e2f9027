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

    /// <summary>
    /// Whether the queue's latest snapshot had the agent staffed (available, on a call or in wrap-up) when the row was
    /// last written; null for a row written before this was recorded. An agent in several queues is answered from the
    /// queues it is staffed in (<see cref="SharedAgentMode"/>).
    /// </summary>
    public bool? Staffed { get; init; }

    /// <summary>
    /// For an agent staffed in several queues, the other queues whose rows the answer also rests on (each lets the agent
    /// cross-sell, or the answer would be service-only); empty otherwise. A cross-sell answer fails safe when any of
    /// them is not being rebalanced.
    /// </summary>
    public IReadOnlyList<string> AlsoStaffedIn { get; init; } = [];
}
