namespace CallBalancer.Storage;

/// <summary>A decision as read back from the log.</summary>
/// <param name="DecisionId">The decision id that agents' mode records point to.</param>
/// <param name="QueueId">The queue.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="Rule">The rule that fired.</param>
/// <param name="Explanation">The sentence shown to supervisors.</param>
/// <param name="CrossSellAllowed">Agents allowed to cross-sell.</param>
/// <param name="Inputs">The numbers that caused it.</param>
/// <param name="Changes">The agents whose mode changed.</param>
/// <param name="RecoveredAt">
/// When another run logged it from the outbox (<see cref="DecisionOutbox"/>) because the run that made it died before
/// its log write; null for a decision its own run logged.
/// </param>
public sealed record DecisionRecord(
    string DecisionId,
    string QueueId,
    DateTimeOffset DecidedAt,
    string Rule,
    string Explanation,
    int CrossSellAllowed,
    IReadOnlyDictionary<string, double> Inputs,
    IReadOnlyList<DecisionChangeRecord> Changes,
    DateTimeOffset? RecoveredAt = null);

/// <summary>A page of the decision log.</summary>
/// <param name="Decisions">The decisions of the page, newest first.</param>
/// <param name="Continuation">Where the next page starts (pass it back as <c>after</c>); null once the period has been read to its end.</param>
public sealed record DecisionPage(IReadOnlyList<DecisionRecord> Decisions, string? Continuation);

