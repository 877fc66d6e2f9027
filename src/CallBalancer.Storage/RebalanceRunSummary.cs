namespace CallBalancer.Storage;

/// <summary>What one rebalance run did.</summary>
/// <param name="StartedAt">When the run started.</param>
/// <param name="CompletedAt">When it finished.</param>
/// <param name="Queues">Queues decided.</param>
/// <param name="Flips">Agent mode records written (mode or pending mode changed).</param>
/// <param name="Failures">Queues whose unit of work failed (they keep their previous modes and are retried next run).</param>
public sealed record RebalanceRunSummary(DateTimeOffset StartedAt, DateTimeOffset CompletedAt, int Queues, int Flips, int Failures);
