namespace CallBalancer.Storage;

/// <summary>What one rebalance run did.</summary>
/// <param name="StartedAt">When the run started.</param>
/// <param name="CompletedAt">When it finished.</param>
/// <param name="Queues">Queues decided.</param>
/// <param name="Flips">Agent mode records written (mode or pending mode changed).</param>
/// <param name="Failures">Queues whose unit of work failed (they keep their previous modes and are retried next run).</param>
public sealed record RebalanceRunSummary(DateTimeOffset StartedAt, DateTimeOffset CompletedAt, int Queues, int Flips, int Failures)
{
    /// <summary>The queues whose rebalance is failing, as read with the last run (<see cref="RunStore"/>); empty when none.</summary>
    public IReadOnlyDictionary<string, QueueFailure> FailingQueues { get; init; } = new Dictionary<string, QueueFailure>(StringComparer.Ordinal);

    /// <summary>
    /// Why an agent of <paramref name="queueId"/> must be service-only although the balancer runs: its queue has failed
    /// every rebalance for at least <paramref name="staleAfter"/> (the limit the whole balancer gets) and failed again
    /// within it; null otherwise. Each queue is its own unit of work, so the run completes while one queue fails, and
    /// without this its cross-sellers kept cross-selling whatever the queue did.
    /// </summary>
    public string? QueueFailSafeReason(string queueId, DateTimeOffset now, TimeSpan staleAfter) =>
        FailingQueues.TryGetValue(queueId, out var f) && IsFailSafe(f, now, staleAfter)
            ? $"Every rebalance of queue '{queueId}' has failed since {f.FirstFailedAt:O}: service-only until one succeeds (fail safe)."
            : null;

    /// <summary>
    /// Why the agents of <paramref name="queueId"/> are answered service-only whatever their recorded mode, or null:
    /// the balancer has completed no rebalance within <paramref name="staleAfter"/> (<paramref name="last"/> null or
    /// older), or this queue's rebalances are failing (<see cref="QueueFailSafeReason"/>). The desktop's mode and
    /// offers and the supervisor's dashboard all give this one answer.
    /// </summary>
    public static string? FailSafeReason(RebalanceRunSummary? last, string queueId, DateTimeOffset now, TimeSpan staleAfter) =>
        last is null || now - last.CompletedAt > staleAfter
            ? $"The balancer has not completed a rebalance in the last {staleAfter.TotalSeconds:0} s: service-only until it does (fail safe)."
            : last.QueueFailSafeReason(queueId, now, staleAfter);

    /// <summary>
    /// <see cref="FailSafeReason(RebalanceRunSummary?, string, DateTimeOffset, TimeSpan)"/> for a desktop's answer: its
    /// queue and, for an agent staffed in several, every other queue it rests on (<see cref="Core.Balancing.AgentModeState.AlsoStaffedIn"/>).
    /// </summary>
    public static string? FailSafeReason(RebalanceRunSummary? last, Core.Balancing.AgentModeState state, DateTimeOffset now, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.AlsoStaffedIn.Prepend(state.QueueId).Select(q => FailSafeReason(last, q, now, staleAfter)).FirstOrDefault(r => r is not null);
    }

    /// <summary>Whether a streak of failures makes its queue fail safe: it has lasted <paramref name="staleAfter"/> and is not over.</summary>
    public static bool IsFailSafe(QueueFailure failure, DateTimeOffset now, TimeSpan staleAfter) =>
        now - failure.FirstFailedAt >= staleAfter && now - failure.LastFailedAt <= staleAfter;
}

/// <summary>A queue's current streak of failed rebalances.</summary>
/// <param name="FirstFailedAt">The first failure of the streak.</param>
/// <param name="LastFailedAt">The latest failure.</param>
public sealed record QueueFailure(DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt);
