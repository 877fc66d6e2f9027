using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>
/// Per-interval counts of each queue, recorded so that every event counts exactly once.
/// <para>
/// PartitionKey = <c>{queueId}|{yyyyMMdd}|{HHmm}|{shard}</c>: one interval of one queue, split into
/// <see cref="TelephonyOptions.ShardCount"/> shards by a stable hash of the event id, so a busy queue spreads over
/// several partitions instead of one hot one, and a repeated event id always lands in the partition that already holds
/// it. Each transaction (one partition, at most 100 entities) inserts one dedupe row <c>e|{eventId}</c> per event and
/// one summary row <c>s|{writeId}</c> with the counts those events add. Inserting a row that exists fails the whole
/// transaction, so the counts of an event can only be committed together with its dedupe row, once: a duplicate is
/// dropped and the rest retried. There is no shared counter row, so concurrent posters never contend on an ETag.
/// Reads sum the summary rows of a queue-day (one range query over its partitions) and merge the shards.
/// </para>
/// </summary>
public sealed class IntervalStore(CallBalancerTables tables, TelephonyOptions options)
{
    /// <summary>Events per transaction: the Table service's 100 entities, less the summary row.</summary>
    public const int EventsPerTransaction = AgentModeStore.MaxTransactionSize - 1;

    private const string EventPrefix = "e|";
    private const string SummaryPrefix = "s|";

    private readonly IntervalAggregation _aggregation = options.ToAggregation();

    /// <summary>The partition that holds an event's dedupe row and its counts.</summary>
    public string PartitionOf(TelephonyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var start = _aggregation.IntervalStart(e.OccurredAt);
        return $"{DayPrefix(e.QueueId, DateOnly.FromDateTime(start.UtcDateTime))}{start:HHmm}|{TableKeys.Shard(e.EventId, options.ShardCount):D2}";
    }

    /// <summary>
    /// Records events with the counts each adds (distinct event ids; the caller removes repeats within a batch).
    /// Returns each event's status: accepted when this call recorded it, duplicate when it was recorded before.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IngestStatus>> RecordAsync(
        IReadOnlyList<(TelephonyEvent Event, IntervalCounts Counts)> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var result = new System.Collections.Concurrent.ConcurrentDictionary<string, IngestStatus>(StringComparer.Ordinal);
        if (items.Count == 0)
        {
            return result;
        }

        var table = await tables.GetAsync(tables.Names.TelephonyIntervals, cancellationToken);
        var chunks = items
            .GroupBy(i => PartitionOf(i.Event), StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(EventsPerTransaction).Select(c => (Partition: g.Key, Items: c.ToList())))
            .ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                foreach (var (id, status) in await RecordPartitionAsync(table, chunk.Partition, chunk.Items, ct))
                {
                    result[id] = status;
                }
            });
        return result;
    }

    /// <summary>Every interval of a queue's day (UTC), in order, zeros included: the forecaster wants empty intervals too.</summary>
    public async Task<IReadOnlyList<QueueInterval>> GetDayAsync(string queueId, DateOnly date, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tables.Names.TelephonyIntervals, cancellationToken);
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var sums = new IntervalCounts[_aggregation.IntervalsPerDay];
        var prefix = DayPrefix(queueId, date);

        // '}' sorts right after '|': the range covers exactly this queue-day's partitions and their summary rows.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {prefix} and PartitionKey lt {prefix[..^1] + "}"} and RowKey ge {SummaryPrefix} and RowKey lt {"s}"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var hhmm = row.PartitionKey.AsSpan(prefix.Length, 4);
            var at = dayStart.AddHours(int.Parse(hhmm[..2], CultureInfo.InvariantCulture)).AddMinutes(int.Parse(hhmm[2..], CultureInfo.InvariantCulture));
            var index = (int)((_aggregation.IntervalStart(at) - dayStart).Ticks / _aggregation.IntervalLength.Ticks);
            sums[index] += FromSummary(row);
        }

        return sums.Select((c, i) => new QueueInterval(dayStart + (_aggregation.IntervalLength * i), c)).ToList();
    }

    private static string DayPrefix(string queueId, DateOnly date) =>
        $"{queueId}|{date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}|";

    private static async Task<List<(string EventId, IngestStatus Status)>> RecordPartitionAsync(
        TableClient table, string partition, List<(TelephonyEvent Event, IntervalCounts Counts)> pending, CancellationToken cancellationToken)
    {
        var outcome = new List<(string, IngestStatus)>();
        while (pending.Count > 0)
        {
            // A fresh id per attempt: if the SDK's transport retry re-sends a transaction that had committed, the 409 it
            // gets back names a row carrying this attempt's id, and the events are recognised as accepted, not duplicates.
            var writeId = Guid.NewGuid().ToString("N");
            var actions = pending
                .Select(p => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, EventPrefix + p.Event.EventId)
                {
                    ["Kind"] = p.Event.Kind.ToName(),
                    ["OccurredAt"] = p.Event.OccurredAt,
                    ["CallId"] = p.Event.CallId,
                    ["WriteId"] = writeId,
                }))
                .ToList();
            var sum = pending.Aggregate(IntervalCounts.Zero, (acc, p) => acc + p.Counts);
            if (!sum.IsZero)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ToSummary(partition, writeId, sum)));
            }

            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                outcome.AddRange(pending.Select(p => (p.Event.EventId, IngestStatus.Accepted)));
                return outcome;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                var duplicates = await FindExistingAsync(table, partition, pending, ex.FailedTransactionActionIndex, writeId, cancellationToken);
                if (duplicates is null)
                {
                    // The conflicting row is this attempt's own: the transaction had committed (atomically, all of it).
                    outcome.AddRange(pending.Select(p => (p.Event.EventId, IngestStatus.Accepted)));
                    return outcome;
                }

                outcome.AddRange(duplicates.Select(d => (d, IngestStatus.Duplicate)));
                pending = pending.Where(p => !duplicates.Contains(p.Event.EventId)).ToList();
            }
        }

        return outcome;
    }

    /// <summary>
    /// The pending events already recorded, or null when the recorded row is this attempt's own write. Looks at the
    /// failed action first (the service names it); checks every pending event only if it does not.
    /// </summary>
    private static async Task<HashSet<string>?> FindExistingAsync(
        TableClient table, string partition, List<(TelephonyEvent Event, IntervalCounts Counts)> pending, int? failedIndex, string writeId,
        CancellationToken cancellationToken)
    {
        var candidates = failedIndex is { } i && i >= 0 && i < pending.Count ? [pending[i].Event.EventId] : pending.Select(p => p.Event.EventId).ToList();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in candidates)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, EventPrefix + id, ["WriteId"], cancellationToken);
            if (!row.HasValue)
            {
                continue;
            }

            if (row.Value!.GetString("WriteId") == writeId)
            {
                return null;
            }

            existing.Add(id);
        }

        if (existing.Count == 0)
        {
            throw new RequestFailedException(409, "The transaction conflicted but no pending event is recorded; retry the request.");
        }

        return existing;
    }

    private static TableEntity ToSummary(string partition, string writeId, IntervalCounts c) => new(partition, SummaryPrefix + writeId)
    {
        ["Arrivals"] = c.Arrivals,
        ["Answered"] = c.Answered,
        ["Abandoned"] = c.Abandoned,
        ["AnsweredWithKnownWait"] = c.AnsweredWithKnownWait,
        ["AnsweredWithinTarget"] = c.AnsweredWithinTarget,
        ["WaitSecondsSum"] = c.WaitSecondsSum,
        ["HandleTimeSeconds"] = c.HandleTimeSeconds,
        ["HandledCalls"] = c.HandledCalls,
    };

    private static IntervalCounts FromSummary(TableEntity e) => new(
        e.GetInt64("Arrivals") ?? 0,
        e.GetInt64("Answered") ?? 0,
        e.GetInt64("Abandoned") ?? 0,
        e.GetInt64("AnsweredWithKnownWait") ?? 0,
        e.GetInt64("AnsweredWithinTarget") ?? 0,
        e.GetDouble("WaitSecondsSum") ?? 0,
        e.GetDouble("HandleTimeSeconds") ?? 0,
        e.GetInt64("HandledCalls") ?? 0);
}
