using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>
/// Ingests a batch of validated telephony events so that nothing is lost or counted twice, whatever the order,
/// the repetition or the concurrency of delivery.
/// <list type="number">
/// <item>Repeats of an event id within the batch are answered as duplicates of its first occurrence.</item>
/// <item>State, all of it idempotent: call stages are merged (<see cref="CallProgressStore"/>), agent presence
/// moves forward by <c>occurredAt</c> only (<see cref="AgentStateStore"/>), and the newest <c>queue.snapshot</c> of each
/// queue goes to the same <see cref="SnapshotStore"/> the snapshot endpoint feeds, so the rebalance sees it. State is
/// applied for repeated events too, which changes nothing but repairs a delivery that failed half-way.</item>
/// <item>The counts, recorded together with each event's dedupe row (<see cref="IntervalStore"/>): this is the step
/// that decides accepted or duplicate. It runs alongside the state writes unless an event needs the stored call record
/// to be judged (an answer without its wait, an end without its handle time).</item>
/// </list>
/// A failure part-way (storage down) leaves only idempotent state and whole transactions behind; the platform's retry
/// of the same events replays the state harmlessly and records each event's counts once.
/// </summary>
public sealed class TelephonyIngestor(
    CallProgressStore calls,
    AgentStateStore agents,
    SnapshotStore snapshots,
    IntervalStore intervals,
    TelephonyOptions options)
{
    private readonly IntervalAggregation _aggregation = options.ToAggregation();

    /// <summary>Ingests the events and answers for each, in input order.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<TelephonyEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = events.Where(e => seen.Add(e.EventId)).ToList();

        // 1. Calls: what this batch knows of each call, merged into the stored record.
        var progress = new Dictionary<(string, string), CallProgress>();
        foreach (var e in distinct.Where(e => e.CallId is not null))
        {
            var key = (e.QueueId, e.CallId!);
            progress[key] = progress.GetValueOrDefault(key, CallProgress.Unknown).Apply(e);
        }

        var mergeCalls = calls.MergeAsync(progress, cancellationToken);
        var applyPresence = ApplyAgentsAndSnapshotsAsync(distinct, cancellationToken);

        // 4. Counts. An answer without a wait, or an end without a handle time, is judged against the call's stored
        //    arrival or answer, read after the merge above (so an arrival earlier in this batch is seen too). When every
        //    event carries its own figures the counts do not depend on the merge, and both go to storage at once: each
        //    step is idempotent, so a failure of either (503) is repaired by the platform's retry of the same events.
        var needsCall = distinct.Where(NeedsCallRecord).Select(e => (e.QueueId, e.CallId!)).Distinct().ToList();
        var stored = new System.Collections.Concurrent.ConcurrentDictionary<(string, string), CallProgress>();
        if (needsCall.Count > 0)
        {
            await mergeCalls;
            await Parallel.ForEachAsync(needsCall, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (key, ct) => stored[key] = await calls.GetAsync(key.Item1, key.Item2, ct));
        }

        var counted = distinct
            .Select(e => (e, _aggregation.Contribution(e, e.CallId is null ? null : stored.GetValueOrDefault((e.QueueId, e.CallId)))))
            .ToList();
        var record = intervals.RecordAsync(counted, cancellationToken);
        await Task.WhenAll(mergeCalls, applyPresence, record);
        var statuses = await record;
        var answered = new HashSet<string>(StringComparer.Ordinal);
        return events
            .Select(e => new IngestOutcome(e.EventId, answered.Add(e.EventId) ? statuses[e.EventId] : IngestStatus.Duplicate))
            .ToList();
    }

    /// <summary>
    /// Agents: the newest event per agent in this batch (older ones could not win anyway); then queue snapshots, the
    /// newest per queue (the store ignores anything older than what it holds), whose agents may come from the former.
    /// </summary>
    private async Task ApplyAgentsAndSnapshotsAsync(List<TelephonyEvent> distinct, CancellationToken cancellationToken)
    {
        var latestAgents = distinct.Where(e => e.Kind == TelephonyEventKind.AgentState)
            .GroupBy(e => (e.QueueId, e.AgentId))
            .Select(g => g.MaxBy(e => e.OccurredAt)!)
            .ToList();
        await Parallel.ForEachAsync(latestAgents, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (e, ct) => await agents.ApplyAsync(e, ct));

        foreach (var e in distinct.Where(e => e.Kind == TelephonyEventKind.QueueSnapshot).GroupBy(e => e.QueueId).Select(g => g.MaxBy(e => e.OccurredAt)!))
        {
            var presence = e.Agents ?? await agents.ListAsync(e.QueueId, cancellationToken);
            await snapshots.SaveLatestAsync(new QueueSnapshot(e.QueueId, e.OccurredAt, e.WaitingCalls ?? 0, e.OldestWaitSeconds ?? 0, presence), cancellationToken);
        }
    }

    private static bool NeedsCallRecord(TelephonyEvent e) =>
        e.CallId is not null
        && ((e.Kind == TelephonyEventKind.CallAnswered && e.WaitSeconds is null)
            || (e.Kind == TelephonyEventKind.CallEnded && e.HandleSeconds is null));
}
