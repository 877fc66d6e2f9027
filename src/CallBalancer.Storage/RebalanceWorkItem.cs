namespace CallBalancer.Storage;

/// <summary>One share of a fanned-out rebalance run: the queues one worker decides.</summary>
/// <param name="RunId">The run that enqueued it.</param>
/// <param name="EnqueuedAt">When it was enqueued; a worker skips items older than the configured age (a newer run supersedes them).</param>
/// <param name="QueueIds">The call queues to rebalance.</param>
public sealed record RebalanceWorkItem(string RunId, DateTimeOffset EnqueuedAt, IReadOnlyList<string> QueueIds);
