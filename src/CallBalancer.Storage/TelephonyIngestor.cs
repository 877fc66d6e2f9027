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
/// that decides accepted or duplicate. A call's end is credited to an agent (handled calls and handle time, in the same
/// transaction), the one the event names or else the one who answered. It runs alongside the state writes unless an
/// event needs what is known of its call from elsewhere (an answer without its wait, an end without its handle time or
/// its agent) and neither this batch nor what this instance received lately has it: then the stored record is read.</item>
/// <item>Alongside, each agent credited in a queue goes into the index an agent's KPI report reads
/// (<see cref="AgentQueueMonthStore"/>), once per instance, agent, queue and month.</item>
/// </list>
/// A failure part-way (storage down) leaves only idempotent state and whole transactions behind; the platform's retry
/// of the same events replays the state harmlessly and records each event's counts once.
/// </summary>
public sealed class TelephonyIngestor(
    CallProgressStore calls,
    AgentStateStore agents,
    SnapshotStore snapshots,
    IntervalStore intervals,
    AgentQueueMonthStore agentMonths,
    TelephonyOptions options,
    TimeProvider? time = null)
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

        // 4. Counts. An answer without a wait, or an end without a handle time or an agent, takes what it lacks from what
        //    is known of its call: this batch first (what it merges is what the record will hold), then what this instance
        //    received lately, and only then the stored record, read after the merge above (so an arrival earlier in this
        //    batch is seen too). When every event carries its own figures the counts do not depend on the merge, and both
        //    go to storage at once: each step is idempotent, so a failure of either (503) is repaired by the platform's
        //    retry of the same events.
        var missing = new Dictionary<(string, string), Func<CallProgress, bool>>();
        foreach (var e in distinct.Where(e => e.CallId is not null))
        {
            var key = (e.QueueId, e.CallId!);
            if (Needs(e) is { } suffices && !suffices(progress[key]))
            {
                missing[key] = missing.TryGetValue(key, out var other) ? p => other(p) && suffices(p) : suffices;
            }
        }

        // What this instance received lately first (no waiting); only what it does not know waits for this batch's merge
        // and reads the stored record.
        var stored = new System.Collections.Concurrent.ConcurrentDictionary<(string, string), CallProgress>();
        foreach (var (key, suffices) in missing)
        {
            if (calls.FindRecent(key.Item1, key.Item2) is { } recent && suffices(recent))
            {
                stored[key] = recent;
            }
        }

        var unknown = missing.Keys.Where(k => !stored.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            await mergeCalls;
            await Parallel.ForEachAsync(unknown, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (key, ct) => stored[key] = await calls.GetAsync(key.Item1, key.Item2, ct));
        }

        var counted = distinct
            .Select(e =>
            {
                CallProgress? call = null;
                if (e.CallId is not null)
                {
                    var key = (e.QueueId, e.CallId);
                    call = Needs(e) is { } suffices && !suffices(progress[key]) ? stored[key] : progress[key];
                }

                return (e, _aggregation.Contribution(e, call), _aggregation.HandlingAgent(e, call));
            })
            .ToList();

        // The index beside the counts: like every other step it is idempotent and repeated by the platform's retry of a
        // request that failed, so a credited count whose index write failed gets its entry on that retry.
        var index = agentMonths.RecordAsync(
            counted.Where(c => c.Item3 is not null && c.Item2.HandledCalls > 0)
                .Select(c => (DateOnly.FromDateTime(_aggregation.IntervalStart(c.e.OccurredAt).UtcDateTime), c.Item3!, c.e.QueueId)),
            cancellationToken);
        var record = intervals.RecordAsync(counted, cancellationToken);
        await Task.WhenAll(mergeCalls, applyPresence, index, record);
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
            var now = (time ?? TimeProvider.System).GetUtcNow();
            var presence = e.Agents ?? await agents.ListAsync(e.QueueId, now - TimeSpan.FromHours(options.PresenceMaxAgeHours), cancellationToken);
            await snapshots.SaveLatestAsync(new QueueSnapshot(e.QueueId, QueueSnapshot.NoLaterThan(e.OccurredAt, now),
                e.WaitingCalls ?? 0, e.OldestWaitSeconds ?? 0, presence), cancellationToken);
        }
    }

    /// <summary>
    /// What an event needs to know of its call to be counted, as a test of a call record, or null when it carries all it
    /// needs: an answer its arrival (for the wait), an end without a handle time or an agent its answer (the instant
    /// and the agent it named, if it named one: an answer that named none leaves nothing more to find).
    /// </summary>
    private static Func<CallProgress, bool>? Needs(TelephonyEvent e) => e.Kind switch
    {
        TelephonyEventKind.CallAnswered when e.WaitSeconds is null => p => p.ArrivedAt is not null,
        TelephonyEventKind.CallEnded when e.HandleSeconds is null || e.AgentId is null => p => p.AnsweredAt is not null,
        _ => null,
    };
}
