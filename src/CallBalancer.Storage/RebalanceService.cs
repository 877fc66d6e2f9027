using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// A whole rebalance run: every queue with a snapshot is decided by <see cref="QueueRebalancer"/>, a few at a time.
/// A queue whose unit of work fails keeps its previous modes and is tried again next run; the run still completes.
/// Running it twice with nothing new writes nothing (idempotent).
/// </summary>
public sealed class RebalanceService(SnapshotStore snapshots, QueueRebalancer rebalancer, RunStore runs, TimeProvider time)
{
    /// <summary>Rebalances every known queue and records the run.</summary>
    /// <param name="onDecision">Called with each queue's decision (for logging); may be null.</param>
    /// <param name="onFailure">Called with a queue id and the error when its unit of work fails; may be null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<RebalanceRunSummary> RunAsync(
        Action<ModeDecision>? onDecision = null,
        Action<string, Exception>? onFailure = null,
        CancellationToken cancellationToken = default)
    {
        using var activity = CallBalancerTelemetry.Source.StartActivity("rebalance");
        var startedAt = time.GetUtcNow();
        var latest = await snapshots.ListLatestAsync(cancellationToken);
        var flips = 0;
        var failures = 0;
        await Parallel.ForEachAsync(
            latest.Select(s => s.QueueId).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (queueId, ct) =>
            {
                using var queueActivity = CallBalancerTelemetry.Source.StartActivity("rebalance.queue");
                queueActivity?.SetTag("queue", queueId);
                try
                {
                    var decision = await rebalancer.RebalanceAsync(queueId, ct);
                    queueActivity?.SetTag("decision.id", decision.DecisionId);
                    queueActivity?.SetTag("decision.rule", decision.Rule);
                    Interlocked.Add(ref flips, decision.Changes.Count());
                    CallBalancerTelemetry.RecordDecision(decision);
                    onDecision?.Invoke(decision);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                    queueActivity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
                    onFailure?.Invoke(queueId, ex);
                }
            });

        var summary = new RebalanceRunSummary(startedAt, time.GetUtcNow(), latest.Count, flips, failures);
        activity?.SetTag("queues", summary.Queues);
        activity?.SetTag("flips", summary.Flips);
        CallBalancerTelemetry.RecordRun(summary);
        await runs.RecordRebalanceAsync(summary, cancellationToken);
        return summary;
    }
}
