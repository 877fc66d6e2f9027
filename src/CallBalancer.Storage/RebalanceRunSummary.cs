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
        FailingQueues.TryGetValue(queueId, out var f) && now - f.FirstFailedAt >= staleAfter && now - f.LastFailedAt <= staleAfter
            ? $"Every rebalance of queue '{queueId}' has failed since {f.FirstFailedAt:O}: service-only until one succeeds (fail safe)."
            : null;
}

/// <summary>A queue's current streak of failed rebalances.</summary>
/// <param name="FirstFailedAt">The first failure of the streak.</param>
/// <param name="LastFailedAt">The latest failure.</param>
public sealed record QueueFailure(DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt);
