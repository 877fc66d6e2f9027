using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// The append-only KPI ledger (PartitionKey = agent id, RowKey = occurred-at ticks, 19 digits, + entry id). Entries are
/// only ever added: an entry that already exists (a retry) is left as it is. A period is one range query.
/// </summary>
public sealed class KpiLedgerStore(CallBalancerTables tables)
{
    /// <summary>Appends an entry; true when added, false when it was already there.</summary>
    public async Task<bool> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = new TableEntity(entry.AgentId, RowKey(entry.OccurredAt) + "-" + entry.EntryId)
        {
            ["EntryId"] = entry.EntryId,
            ["CustomerId"] = entry.CustomerId,
            ["OfferId"] = entry.OfferId,
            ["ProductId"] = entry.ProductId,
            ["Kind"] = entry.Kind.ToString(),
            ["OffersMade"] = entry.OffersMade,
            ["Acceptances"] = entry.Acceptances,
            ["Credit"] = entry.Credit,
            ["OccurredAt"] = entry.OccurredAt,
        };
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

    /// <summary>The agent's entries that occurred in <c>[from, to)</c>, oldest first.</summary>
    public Task<IReadOnlyList<LedgerEntry>> GetAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.KpiLedger, async (t, ct) =>
        {
            var lo = RowKey(from);
            var hi = RowKey(to);
            var list = new List<LedgerEntry>();
            await foreach (var e in t.QueryAsync<TableEntity>(x => x.PartitionKey == agentId && x.RowKey.CompareTo(lo) >= 0 && x.RowKey.CompareTo(hi) < 0,
                cancellationToken: ct))
            {
                list.Add(new LedgerEntry(
                    e.GetString("EntryId") ?? string.Empty,
                    agentId,
                    e.GetString("CustomerId") ?? string.Empty,
                    e.GetString("OfferId") ?? string.Empty,
                    e.GetString("ProductId") ?? string.Empty,
                    Enum.TryParse<LedgerEntryKind>(e.GetString("Kind"), out var kind) ? kind : LedgerEntryKind.Outcome,
                    e.GetInt32("OffersMade") ?? 0,
                    e.GetInt32("Acceptances") ?? 0,
                    e.GetDouble("Credit") ?? 0,
                    e.GetDateTimeOffset("OccurredAt") ?? DateTimeOffset.MinValue));
            }

            return (IReadOnlyList<LedgerEntry>)list;
        }, cancellationToken);

    // Oldest first (ascending ticks), unlike the decision log: reports read a period forwards.
    private static string RowKey(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
