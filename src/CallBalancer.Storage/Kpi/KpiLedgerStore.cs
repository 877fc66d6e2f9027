using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// The append-only KPI ledger (RowKey = occurred-at ticks, 19 digits, + entry id). Each entry is appended to its agent's
/// partition (PartitionKey = agent id) and, when it names a queue, to the queue's (PartitionKey = <c>queue|{queueId}</c>,
/// which no agent id can spell: ids never contain '|'), so an agent's period and a queue's period are each one range
/// query. Entries are only ever added: an entry that already exists (a retry) is left as it is. An entry appended to a
/// UTC day that has ended marks that day's queue roll-up stale (<see cref="KpiRollupStore"/>).
/// </summary>
public sealed class KpiLedgerStore(CallBalancerTables tables, KpiRollupStore rollups, TimeProvider time)
{
    /// <summary>The prefix of a queue's partition (<c>queue|{queueId}</c>).</summary>
    internal const string QueuePrefix = "queue|";

    /// <summary>
    /// Appends an entry to its agent's partition and its queue's; true when the agent's copy was added, false when it was
    /// already there. The two appends are independent and idempotent: a retry of the same entry completes whichever is missing.
    /// When the entry's UTC day has ended, the queue's roll-up of that day is marked stale after the append, whether
    /// this call or an earlier attempt added the entry (an attempt can fail between the two writes; its retry marks it).
    /// </summary>
    public async Task<bool> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var agent = AddAsync(ToEntity(entry.AgentId, entry), cancellationToken);
        if (entry.QueueId is { Length: > 0 } queueId)
        {
            await Task.WhenAll(agent, AddAsync(ToEntity(QueuePrefix + queueId, entry), cancellationToken));
            if (KpiRollupRules.AppendMarksStale(entry.OccurredAt, time.GetUtcNow()))
            {
                await rollups.MarkStaleAsync(queueId, KpiRollupRules.DayOf(entry.OccurredAt), cancellationToken);
            }
        }

        return await agent;
    }

    /// <summary>The agent's entries that occurred in <c>[from, to)</c>, oldest first (in every queue).</summary>
    public Task<IReadOnlyList<LedgerEntry>> GetAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        GetPartitionAsync(agentId, from, to, cancellationToken);

    /// <summary>The entries of offers made in the queue that occurred in <c>[from, to)</c>, oldest first (every agent).</summary>
    public Task<IReadOnlyList<LedgerEntry>> GetQueueAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        GetPartitionAsync(QueuePrefix + queueId, from, to, cancellationToken);

    private async Task<bool> AddAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await tables.ExecuteAsync(tables.Names.KpiLedger, (t, ct) => t.AddEntityAsync(entity, ct), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    private Task<IReadOnlyList<LedgerEntry>> GetPartitionAsync(string partition, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        tables.ExecuteAsync(tables.Names.KpiLedger, async (t, ct) =>
        {
            var lo = RowKey(from);
            var hi = RowKey(to);
            var list = new List<LedgerEntry>();
            await foreach (var e in t.QueryAsync<TableEntity>(x => x.PartitionKey == partition && x.RowKey.CompareTo(lo) >= 0 && x.RowKey.CompareTo(hi) < 0,
                cancellationToken: ct))
            {
                list.Add(new LedgerEntry(
                    e.GetString("EntryId") ?? string.Empty,
                    e.GetString("AgentId") ?? partition,
                    e.GetString("CustomerId") ?? string.Empty,
                    e.GetString("OfferId") ?? string.Empty,
                    e.GetString("ProductId") ?? string.Empty,
                    Enum.TryParse<LedgerEntryKind>(e.GetString("Kind"), out var kind) ? kind : LedgerEntryKind.Outcome,
                    e.GetInt32("OffersMade") ?? 0,
                    e.GetInt32("Acceptances") ?? 0,
                    e.GetDouble("Credit") ?? 0,
                    e.GetDateTimeOffset("OccurredAt") ?? DateTimeOffset.MinValue)
                {
                    QueueId = e.GetString("QueueId") is { Length: > 0 } q ? q : null,
                });
            }

            return (IReadOnlyList<LedgerEntry>)list;
        }, cancellationToken);

    /// <summary>The stored form of an entry in a partition (the benchmark loads a ledger with it in transactions).</summary>
    internal static TableEntity ToEntity(string partition, LedgerEntry entry) => new(partition, RowKey(entry.OccurredAt) + "-" + entry.EntryId)
    {
        ["EntryId"] = entry.EntryId,
        ["AgentId"] = entry.AgentId,
        ["QueueId"] = entry.QueueId,
        ["CustomerId"] = entry.CustomerId,
        ["OfferId"] = entry.OfferId,
        ["ProductId"] = entry.ProductId,
        ["Kind"] = entry.Kind.ToString(),
        ["OffersMade"] = entry.OffersMade,
        ["Acceptances"] = entry.Acceptances,
        ["Credit"] = entry.Credit,
        ["OccurredAt"] = entry.OccurredAt,
    };

    // Oldest first (ascending ticks), unlike the decision log: reports read a period forwards.
    private static string RowKey(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
