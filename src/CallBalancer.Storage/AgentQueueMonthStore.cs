using System.Collections.Concurrent;
using System.Globalization;
using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>
/// Which queues each agent handled calls in, per UTC month (table <see cref="TableNames.AgentQueueMonths"/>: PartitionKey
/// = <c>yyyyMM</c>, RowKey = <c>{agentId}|{queueId}</c>): the index that takes an agent's KPI report to the queue-day
/// partitions holding the agent's interval rows (<see cref="IntervalStore"/>) without scanning every queue. Rows are
/// existence markers, so writing one twice is harmless (an upsert); each instance remembers what it wrote, so ingestion
/// pays for a pair once a month per instance, in one transaction per month and 100 pairs.
/// </summary>
public sealed class AgentQueueMonthStore(CallBalancerTables tables)
{
    /// <summary>Pairs remembered before the memory is cleared (then at most one more write each).</summary>
    private const int RememberedLimit = 100_000;

    private readonly ConcurrentDictionary<string, bool> _written = new(StringComparer.Ordinal);

    /// <summary>Records that agents handled calls in queues on days (pairs this instance wrote before for the month are skipped).</summary>
    public async Task RecordAsync(IEnumerable<(DateOnly Day, string AgentId, string QueueId)> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var fresh = pairs.Select(p => (Month: MonthKey(p.Day), p.AgentId, p.QueueId)).Distinct()
            .Select(p => (Pair: p, Key: $"{p.Month}|{p.AgentId}|{p.QueueId}"))
            .Where(p => !_written.ContainsKey(p.Key))
            .ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var chunks = fresh.GroupBy(p => p.Pair.Month, StringComparer.Ordinal).SelectMany(g => g.Chunk(AgentModeStore.MaxTransactionSize)).ToList();
        await tables.ExecuteAsync(tables.Names.AgentQueueMonths, (table, token) =>
            Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = token }, async (chunk, ct) =>
                await table.SubmitTransactionAsync(
                    chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                        new TableEntity(p.Pair.Month, p.Pair.AgentId + "|" + p.Pair.QueueId))),
                    ct)), cancellationToken);

        if (_written.Count > RememberedLimit)
        {
            _written.Clear();
        }

        foreach (var p in fresh)
        {
            _written[p.Key] = true;
        }
    }

    /// <summary>
    /// The queues the agent handled calls in, in the months from <paramref name="first"/>'s to <paramref name="last"/>'s
    /// (UTC, inclusive), each queue once.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetQueuesAsync(string agentId, DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        var months = new List<string>();
        // Stops at the last month rather than stepping past it: past December 9999 AddMonths throws.
        for (var m = new DateOnly(first.Year, first.Month, 1); ; m = m.AddMonths(1))
        {
            months.Add(MonthKey(m));
            if ((m.Year == last.Year && m.Month == last.Month) || m > last)
            {
                break;
            }
        }

        var found = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var lo = agentId + "|";
        var hi = agentId + "}";
        await tables.ExecuteAsync(tables.Names.AgentQueueMonths, (table, token) =>
            Parallel.ForEachAsync(months, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = token }, async (month, ct) =>
            {
                await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == month && x.RowKey.CompareTo(lo) >= 0 && x.RowKey.CompareTo(hi) < 0,
                    select: ["RowKey"], cancellationToken: ct))
                {
                    found[e.RowKey[lo.Length..]] = true;
                }
            }), cancellationToken);
        return found.Keys.Order(StringComparer.Ordinal).ToList();
    }

    private static string MonthKey(DateOnly day) => day.ToString("yyyyMM", CultureInfo.InvariantCulture);
}
