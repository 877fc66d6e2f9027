using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>
/// Per-interval counts of each queue, recorded so that every event counts exactly once, in one table per month
/// (<see cref="TableNames.TelephonyIntervalsFor"/>) so that retention drops a month in one delete.
/// <para>
/// PartitionKey = <c>{queueId}|{yyyyMMdd}|{shard}</c>: one queue-day, optionally split into
/// <see cref="TelephonyOptions.ShardCount"/> shards by a stable hash of the event id (a repeated event id always lands in
/// the partition that already holds it). Each transaction (one partition, at most 100 entities) inserts one dedupe row
/// <c>e|{eventId}</c> per event and one summary row <c>s|{HHmm}|{writeId}</c> per interval it touches, holding the counts
/// its events add to that interval. Inserting a row that exists fails the whole transaction, so an event's counts are
/// committed together with its dedupe row, once: a duplicate is dropped and the rest retried. There is no shared
/// counter row, so concurrent posters never contend on an ETag, and a batch of consecutive events of one queue is one
/// transaction per 100 entities. Reads sum a queue-day's summary rows (one range query) and merge the shards.
/// </para>
/// <para>
/// The agents' share rides on the same summary rows: two columns per agent credited in that interval and transaction,
/// <c>Hc_{agent}</c> (handled calls) and <c>Hs_{agent}</c> (handle seconds), with the agent id escaped into a property
/// name (<see cref="AgentColumn"/>). So an agent's calls are counted exactly once too, and cost no extra entity or
/// request: ingestion writes what it wrote before. A transaction holds at most 99 events, so a row has at most 198
/// agent columns beside its 8 counts, within the service's 252 properties per entity.
/// </para>
/// </summary>
public sealed class IntervalStore(CallBalancerTables tables, TelephonyOptions options)
{
    private const string EventPrefix = "e|";
    private const string SummaryPrefix = "s|";
    private const string CallsColumn = "Hc_";
    private const string SecondsColumn = "Hs_";

    private readonly IntervalAggregation _aggregation = options.ToAggregation();

    /// <summary>The length of the intervals this store counts in.</summary>
    public TimeSpan IntervalLength => _aggregation.IntervalLength;

    /// <summary>The partition that holds an event's dedupe row and its counts.</summary>
    public string PartitionOf(TelephonyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return $"{DayPrefix(e.QueueId, DayOf(e))}{TableKeys.Shard(e.EventId, options.ShardCount):D2}";
    }

    /// <summary>Records events with the counts each adds, crediting no agent (see the overload).</summary>
    public Task<IReadOnlyDictionary<string, IngestStatus>> RecordAsync(
        IReadOnlyList<(TelephonyEvent Event, IntervalCounts Counts)> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return RecordAsync(items.Select(i => (i.Event, i.Counts, (string?)null)).ToList(), cancellationToken);
    }

    /// <summary>
    /// Records events with the counts each adds and the agent its handled call and handle time are credited to, if any
    /// (distinct event ids; the caller removes repeats within a batch). Returns each event's status: accepted when this
    /// call recorded it, duplicate when it was recorded before.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IngestStatus>> RecordAsync(
        IReadOnlyList<(TelephonyEvent Event, IntervalCounts Counts, string? Agent)> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var result = new System.Collections.Concurrent.ConcurrentDictionary<string, IngestStatus>(StringComparer.Ordinal);
        if (items.Count == 0)
        {
            return result;
        }

        // A partition is one queue-day, so all of it lives in the table of that day's month.
        var chunks = items
            .GroupBy(i => PartitionOf(i.Event), StringComparer.Ordinal)
            .SelectMany(g => Transactions(g).Select(c => (Partition: g.Key, Table: tables.Names.TelephonyIntervalsFor(DayOf(g.First().Event)), Items: c)))
            .ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var table = await tables.GetAsync(chunk.Table, ct);
                foreach (var (id, status) in await RecordPartitionAsync(table, chunk.Partition, chunk.Items, ct))
                {
                    result[id] = status;
                }
            });
        return result;
    }

    /// <summary>
    /// The handled calls and handle time credited to each agent in a queue's day (UTC), per interval with any: one range
    /// query over the day's summary rows. Keyed by agent id, intervals in order.
    /// </summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<AgentInterval>>> GetAgentsOfDayAsync(string queueId, DateOnly date, CancellationToken cancellationToken = default) =>
        GetAgentColumnsAsync(queueId, date, null, cancellationToken);

    /// <summary>One agent's handled calls and handle time in a queue's day (UTC), per interval with any, in order.</summary>
    public async Task<IReadOnlyList<AgentInterval>> GetAgentDayAsync(string queueId, string agentId, DateOnly date, CancellationToken cancellationToken = default)
    {
        var rows = await GetAgentColumnsAsync(queueId, date, agentId, cancellationToken);
        return rows.TryGetValue(agentId, out var intervals) ? intervals : [];
    }

    /// <summary>
    /// The property-name form of an agent id: letters and digits as they are, any other character as <c>_</c> and two hex
    /// digits (ids are letters, digits, '.', '_', '-' and ':'), so names stay legal and map back one to one.
    /// </summary>
    internal static string AgentColumn(string agentId)
    {
        var b = new System.Text.StringBuilder(agentId.Length + 8);
        foreach (var c in agentId)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                b.Append(c);
            }
            else
            {
                b.Append('_').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return b.ToString();
    }

    internal static string AgentFromColumn(ReadOnlySpan<char> column)
    {
        var b = new System.Text.StringBuilder(column.Length);
        for (var i = 0; i < column.Length; i++)
        {
            if (column[i] == '_' && i + 2 < column.Length)
            {
                b.Append((char)int.Parse(column.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                b.Append(column[i]);
            }
        }

        return b.ToString();
    }

    /// <summary>
    /// Every interval of a queue's UTC days <paramref name="first"/> to <paramref name="last"/>, in order, zeros included:
    /// one <see cref="GetDayAsync"/> per day, up to 8 at a time (the KPI report's call facts, the what-if's history).
    /// </summary>
    public async Task<IReadOnlyList<QueueInterval>> GetDaysAsync(string queueId, DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        var days = new IReadOnlyList<QueueInterval>[Math.Max(0, last.DayNumber - first.DayNumber + 1)];
        await Parallel.ForEachAsync(Enumerable.Range(0, days.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => days[i] = await GetDayAsync(queueId, first.AddDays(i), ct));
        return days.SelectMany(d => d).ToList();
    }

    /// <summary>Every interval of a queue's day (UTC), in order, zeros included: the forecaster wants empty intervals too.</summary>
    public async Task<IReadOnlyList<QueueInterval>> GetDayAsync(string queueId, DateOnly date, CancellationToken cancellationToken = default)
    {
        var table = tables.GetExisting(tables.Names.TelephonyIntervalsFor(date));
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var sums = new IntervalCounts[_aggregation.IntervalsPerDay];
        var prefix = DayPrefix(queueId, date);

        // '}' sorts right after '|': the range covers exactly this queue-day's partitions and their summary rows.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {prefix} and PartitionKey lt {prefix[..^1] + "}"} and RowKey ge {SummaryPrefix} and RowKey lt {"s}"}");
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var hhmm = row.RowKey.AsSpan(SummaryPrefix.Length, 4);
                var at = dayStart.AddHours(int.Parse(hhmm[..2], CultureInfo.InvariantCulture)).AddMinutes(int.Parse(hhmm[2..], CultureInfo.InvariantCulture));
                var index = (int)((_aggregation.IntervalStart(at) - dayStart).Ticks / _aggregation.IntervalLength.Ticks);
                sums[index] += FromSummary(row);
            }
        }
        catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
        {
            // No event of that month was ever stored, or retention has dropped the month: every interval is zero.
        }

        return sums.Select((c, i) => new QueueInterval(dayStart + (_aggregation.IntervalLength * i), c)).ToList();
    }

    /// <summary>
    /// The counts of a queue's intervals that start in [<paramref name="from"/>, <paramref name="to"/>) of one UTC day,
    /// summed: one range query over the summary rows of those intervals only (the offer hold's service-level guard
    /// reads the current half-hour this way). <paramref name="from"/> and <paramref name="to"/> are interval
    /// boundaries of the same day; <paramref name="to"/> may be the next midnight.
    /// </summary>
    public async Task<IntervalCounts> GetWindowAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueId);
        var fromUtc = from.ToUniversalTime();
        var date = DateOnly.FromDateTime(fromUtc.UtcDateTime);
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (to <= from || to > dayStart.AddDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The window must be non-empty and within one UTC day.");
        }

        var table = tables.GetExisting(tables.Names.TelephonyIntervalsFor(date));
        var prefix = DayPrefix(queueId, date);
        var fromKey = SummaryPrefix + HoursMinutes(fromUtc - dayStart);
        var toKey = SummaryPrefix + HoursMinutes(to.ToUniversalTime() - dayStart);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {prefix} and PartitionKey lt {prefix[..^1] + "}"} and RowKey ge {fromKey} and RowKey lt {toKey}");
        var sum = IntervalCounts.Zero;
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                sum += FromSummary(row);
            }
        }
        catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
        {
            // Nothing of that month is stored: nothing counted.
        }

        return sum;
    }

    /// <summary>A time of day as the summary rows spell it (HHmm; 2400 for the next midnight).</summary>
    private static string HoursMinutes(TimeSpan sinceMidnight) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)sinceMidnight.TotalHours:D2}{sinceMidnight.Minutes:D2}");

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<AgentInterval>>> GetAgentColumnsAsync(
        string queueId, DateOnly date, string? agentId, CancellationToken cancellationToken)
    {
        var table = tables.GetExisting(tables.Names.TelephonyIntervalsFor(date));
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var prefix = DayPrefix(queueId, date);
        var sums = new Dictionary<(string Agent, DateTimeOffset Start), (long Calls, double Seconds)>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {prefix} and PartitionKey lt {prefix[..^1] + "}"} and RowKey ge {SummaryPrefix} and RowKey lt {"s}"}");

        // One agent: only its two columns come back (rows without them come back with the RowKey only).
        IEnumerable<string>? select = agentId is null ? null : ["RowKey", CallsColumn + AgentColumn(agentId), SecondsColumn + AgentColumn(agentId)];
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken))
            {
                var hhmm = row.RowKey.AsSpan(SummaryPrefix.Length, 4);
                var at = _aggregation.IntervalStart(dayStart.AddHours(int.Parse(hhmm[..2], CultureInfo.InvariantCulture)).AddMinutes(int.Parse(hhmm[2..], CultureInfo.InvariantCulture)));
                foreach (var (name, value) in row)
                {
                    if (!name.StartsWith(CallsColumn, StringComparison.Ordinal) || value is null)
                    {
                        continue;
                    }

                    var column = name[CallsColumn.Length..];
                    var key = (AgentFromColumn(column), at);
                    var (calls, seconds) = sums.GetValueOrDefault(key);
                    sums[key] = (calls + Convert.ToInt64(value, CultureInfo.InvariantCulture), seconds + (row.GetDouble(SecondsColumn + column) ?? 0));
                }
            }
        }
        catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
        {
            // No event of that month was ever stored, or retention has dropped the month: nobody handled anything.
        }

        return sums
            .GroupBy(p => p.Key.Agent, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<AgentInterval>)g.Select(p => new AgentInterval(p.Key.Start, p.Value.Calls, p.Value.Seconds)).OrderBy(i => i.IntervalStart).ToList(),
                StringComparer.Ordinal);
    }

    /// <summary>
    /// Splits one partition's events into transactions of at most 100 entities: the events plus one summary row per
    /// interval they touch. Events arrive roughly in time order, so a chunk rarely spans more than two intervals.
    /// </summary>
    private IEnumerable<List<(TelephonyEvent Event, IntervalCounts Counts, string? Agent)>> Transactions(
        IEnumerable<(TelephonyEvent Event, IntervalCounts Counts, string? Agent)> items)
    {
        var chunk = new List<(TelephonyEvent Event, IntervalCounts Counts, string? Agent)>();
        var intervals = new HashSet<DateTimeOffset>();
        foreach (var item in items)
        {
            var interval = _aggregation.IntervalStart(item.Event.OccurredAt);
            var extra = intervals.Contains(interval) ? 0 : 1;
            if (chunk.Count + intervals.Count + 1 + extra > AgentModeStore.MaxTransactionSize)
            {
                yield return chunk;
                chunk = [];
                intervals.Clear();
            }

            chunk.Add(item);
            intervals.Add(interval);
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>The agent an event credits a handled call to, or null (no agent known, or the event handled no call).</summary>
    private static string? Credited((TelephonyEvent Event, IntervalCounts Counts, string? Agent) item) =>
        item.Agent is not null && item.Counts.HandledCalls > 0 ? item.Agent : null;

    private DateOnly DayOf(TelephonyEvent e) => DateOnly.FromDateTime(_aggregation.IntervalStart(e.OccurredAt).UtcDateTime);

    private static string DayPrefix(string queueId, DateOnly date) =>
        $"{queueId}|{date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}|";

    private async Task<List<(string EventId, IngestStatus Status)>> RecordPartitionAsync(
        TableClient table, string partition, List<(TelephonyEvent Event, IntervalCounts Counts, string? Agent)> pending, CancellationToken cancellationToken)
    {
        var outcome = new List<(string, IngestStatus)>();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            // A fresh id per attempt: if the SDK's transport retry re-sends a transaction that had committed, the 409 it
            // gets back names a row carrying this attempt's id, and the events are recognised as accepted, not duplicates.
            var writeId = Guid.NewGuid().ToString("N");
            var actions = pending
                .Select(p => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, EventPrefix + p.Event.EventId)
                {
                    // Only what recognising a write needs: entity size is what the store's throughput is spent on.
                    ["WriteId"] = writeId,
                }))
                .ToList();
            foreach (var interval in pending.GroupBy(p => _aggregation.IntervalStart(p.Event.OccurredAt)))
            {
                var sum = interval.Aggregate(IntervalCounts.Zero, (acc, p) => acc + p.Counts);
                if (!sum.IsZero)
                {
                    var summary = ToSummary(partition, interval.Key, writeId, sum);
                    foreach (var agent in interval.Where(p => Credited(p) is not null).GroupBy(p => p.Agent!, StringComparer.Ordinal))
                    {
                        var column = AgentColumn(agent.Key);
                        summary[CallsColumn + column] = agent.Sum(p => p.Counts.HandledCalls);
                        summary[SecondsColumn + column] = agent.Sum(p => p.Counts.HandleTimeSeconds);
                    }

                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, summary));
                }
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

                if (duplicates.Count == 0 && attempt >= 10)
                {
                    // A conflict that names no recorded event, again and again: report storage trouble (503, retried).
                    throw new RequestFailedException(503, "Interval transaction keeps conflicting without a recorded event; retry later.");
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
        TableClient table, string partition, List<(TelephonyEvent Event, IntervalCounts Counts, string? Agent)> pending, int? failedIndex, string writeId,
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

        // Empty when the conflicting row has gone again (or was not an event): the caller simply retries.
        return existing;
    }

    private static TableEntity ToSummary(string partition, DateTimeOffset interval, string writeId, IntervalCounts c) =>
        new(partition, $"{SummaryPrefix}{interval.ToString("HHmm", CultureInfo.InvariantCulture)}|{writeId}")
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
