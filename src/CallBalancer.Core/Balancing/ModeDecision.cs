namespace CallBalancer.Core.Balancing;

/// <summary>
/// The outcome of one queue's rebalance: every agent's mode afterwards, the rule that fired and the numbers
/// that made it fire, so the decision can be explained after the fact.
/// </summary>
/// <param name="DecisionId">Unique id; agents' mode records point to it.</param>
/// <param name="QueueId">The queue.</param>
/// <param name="DecidedAt">Decision time.</param>
/// <param name="Rule">The rule that fired, e.g. <c>emergency-wait</c>, <c>idle-reserve</c>.</param>
/// <param name="Explanation">One sentence a supervisor can read.</param>
/// <param name="CrossSellAllowed">How many agents the rule lets cross-sell (agents).</param>
/// <param name="Agents">Every agent's mode after the decision.</param>
/// <param name="Inputs">The numbers that caused the decision (name to value), e.g. waiting calls, idle agents.</param>
public sealed record ModeDecision(
    string DecisionId,
    string QueueId,
    DateTimeOffset DecidedAt,
    string Rule,
    string Explanation,
    int CrossSellAllowed,
    IReadOnlyList<AgentModeChange> Agents,
    IReadOnlyDictionary<string, double> Inputs)
{
    /// <summary>
    /// The service level (share of calls answered within the target time) the model predicts for the current
    /// interval if the cross-sell agents stayed as they were before this decision; null when no forecast was
    /// available to predict it.
    /// </summary>
    public double? PredictedServiceLevelBefore { get; init; }

    /// <summary>The predicted service level with this decision's cross-sell agents; null without a forecast.</summary>
    public double? PredictedServiceLevelAfter { get; init; }

    /// <summary>Agents whose mode is (or will be, once their call ends) cross-sell before the decision (agents).</summary>
    public int CrossSellBefore { get; init; }

    /// <summary>Agents whose mode is (or will be, once their call ends) cross-sell after the decision (agents).</summary>
    public int CrossSellAfter { get; init; }

    /// <summary>
    /// The offer hold's reserve of free agents in force until the next decision (agents); null: the queue's
    /// <see cref="QueueSettings.OfferHoldMinIdleAgents"/>.
    /// </summary>
    public int? OfferHoldMinIdleAgents { get; init; }

    /// <summary>The agents whose stored mode must be written.</summary>
    public IEnumerable<AgentModeChange> Changes => Agents.Where(a => a.Changed);

    /// <summary>True when at least one agent's mode or pending mode changed.</summary>
    public bool HasChanges => Agents.Any(a => a.Changed);
}
