using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// A rebalance run: every queue with a snapshot is decided by <see cref="QueueRebalancer"/>, a few at a time, either
/// here (<see cref="RunAsync"/>) or, past one work item's worth of queues, fanned out through a work queue to
/// queue-triggered workers on other instances (<see cref="FanOutAsync"/>, then <see cref="RunQueuesAsync"/>).
/// A queue whose unit of work fails keeps its previous modes and is tried again next run; the run still completes.
/// Running it twice with nothing new writes nothing (idempotent).
/// </summary>
public sealed class RebalanceService(SnapshotStore snapshots, QueueRebalancer rebalancer, RunStore runs, TimeProvider time)
{
    /// <summary>Rebalances every known queue here and records the run.</summary>
    /// <param name="onDecision">Called with each queue's decision (for logging); may be null.</param>
    /// <param name="onFailure">Called with a queue id and the error when its unit of work fails; may be null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<RebalanceRunSummary> RunAsync(
        Action<ModeDecision>? onDecision = null,
        Action<string, Exception>? onFailure = null,
        CancellationToken cancellationToken = default)
    {
        var latest = await snapshots.ListLatestAsync(cancellationToken);
        return await RunQueuesAsync(latest.Select(s => s.QueueId).ToList(), onDecision, onFailure, cancellationToken);
    }

    /// <summary>
    /// Splits the known queues into work items of <paramref name="queuesPerItem"/> and enqueues them; with no more than
    /// one item's worth, decides them here instead (a queue message would only add latency).
    /// </summary>
    /// <returns>The number of work items enqueued (0 when decided here) and the inline summary when decided here.</returns>
    public async Task<(int WorkItems, RebalanceRunSummary? Inline)> FanOutAsync(
        IRebalanceWorkQueue workQueue,
        int queuesPerItem,
        Action<ModeDecision>? onDecision = null,
        Action<string, Exception>? onFailure = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workQueue);
        ArgumentOutOfRangeException.ThrowIfLessThan(queuesPerItem, 1);
        var queueIds = (await snapshots.ListLatestAsync(cancellationToken)).Select(s => s.QueueId).Distinct(StringComparer.Ordinal).ToList();
        if (queueIds.Count <= queuesPerItem)
        {
            return (0, await RunQueuesAsync(queueIds, onDecision, onFailure, cancellationToken));
        }

        var runId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var items = queueIds.Chunk(queuesPerItem).Select(chunk => new RebalanceWorkItem(runId, time.GetUtcNow(), chunk)).ToList();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (item, ct) => await workQueue.EnqueueAsync(item, ct));
        return (items.Count, null);
    }

    /// <summary>Rebalances the given queues here and records the run (the worker's half of a fan-out).</summary>
    public async Task<RebalanceRunSummary> RunQueuesAsync(
        IReadOnlyCollection<string> queueIds,
        Action<ModeDecision>? onDecision = null,
        Action<string, Exception>? onFailure = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueIds);
        using var activity = CallBalancerTelemetry.Source.StartActivity("rebalance");
        var startedAt = time.GetUtcNow();
        var flips = 0;
        var failures = 0;
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failingBefore = await TryAsync(() => runs.GetFailingQueuesAsync(cancellationToken)) ?? new Dictionary<string, QueueFailure>();
        await Parallel.ForEachAsync(
            queueIds.Distinct(StringComparer.Ordinal),
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
                    failed.Add(queueId);
                    queueActivity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
                    onFailure?.Invoke(queueId, ex);
                }
            });

        // Each queue's streak of failures, so a queue that keeps failing fails safe at the desktop although the run
        // completes (RebalanceRunSummary.QueueFailSafeReason).
        var recovered = queueIds.Where(q => failingBefore.ContainsKey(q) && !failed.Contains(q)).ToList();
        var streaksRecorded = true;
        if (!failed.IsEmpty || recovered.Count > 0)
        {
            streaksRecorded = await TryAsync(async () =>
            {
                await runs.UpdateFailingQueuesAsync(failed.Distinct(StringComparer.Ordinal).ToList(), recovered, time.GetUtcNow(), cancellationToken);
                return string.Empty;
            }) is not null;
        }

        var summary = new RebalanceRunSummary(startedAt, time.GetUtcNow(), queueIds.Count, flips, failures);
        activity?.SetTag("queues", summary.Queues);
        activity?.SetTag("flips", summary.Flips);
        CallBalancerTelemetry.RecordRun(summary);

        // A run whose failing queues could not be recorded is not recorded as completed either: their fail-safe could
        // not fire, so the balancer's own (no completed run for 2 minutes) must be able to. A lost recovery only
        // delays a queue's return to cross-sell, so it does not count.
        if (streaksRecorded || failed.IsEmpty)
        {
            await runs.RecordRebalanceAsync(summary, cancellationToken);
        }
        else
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "failing queues not recorded");
        }

        return summary;
    }

    private static async Task<T?> TryAsync<T>(Func<Task<T>> action)
        where T : class
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or TimeoutException or OperationCanceledException or InvalidOperationException or System.Text.Json.JsonException
            || StorageFailure.IsUnavailable(ex))
        {
            return null;
        }
    }
}
