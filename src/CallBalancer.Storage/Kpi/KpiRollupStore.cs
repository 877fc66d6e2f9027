using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// Each queue's KPI ledger summed per UTC day (<see cref="TableNames.KpiDaily"/>: PartitionKey = queue id, RowKey =
/// <c>yyyyMMdd</c>). A row is <c>current</c> (its totals hold every entry of its day), <c>building</c> (a roll-up is
/// reading the day) or <c>stale</c> (an entry was appended to the day after it ended). Reports use only current rows.
/// <para>
/// Why a row is never current without every entry of its day: a roll-up first replaces the row with <c>building</c>,
/// then reads the day's entries, then writes the totals only if the row still has the ETag of its own <c>building</c>
/// write. An append to an ended day adds the entry first and marks the row <c>stale</c> second. If the mark comes
/// before the <c>building</c> write, the roll-up's read (after it) sees the entry; if it comes after, the ETag has
/// changed and the totals are not written; and a mark after the totals leaves the row stale.
/// </para>
/// </summary>
public sealed class KpiRollupStore(CallBalancerTables tables)
{
    private const string StateCurrent = "current";
    private const string StateBuilding = "building";
    private const string StateStale = "stale";

    // A string property holds at most 32K UTF-16 characters; the per-agent totals are split across A0, A1, ...
    private const int ChunkChars = 30_000;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The current roll-ups of the queue's days <c>first..last</c> (missing, building and stale days are absent).</summary>
    public async Task<IReadOnlyDictionary<DateOnly, KpiDayRollup>> GetCurrentAsync(string queueId, DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<DateOnly, KpiDayRollup>();
        await foreach (var e in QueryAsync(queueId, first, last, select: null, cancellationToken))
        {
            if (e.GetString("State") == StateCurrent && TryDay(e.RowKey, out var day))
            {
                result[day] = new KpiDayRollup(day, ReadAgents(e));
            }
        }

        return result;
    }

    /// <summary>The queue's days <c>first..last</c> that have a current roll-up.</summary>
    public async Task<IReadOnlySet<DateOnly>> GetCurrentDaysAsync(string queueId, DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        var result = new HashSet<DateOnly>();
        await foreach (var e in QueryAsync(queueId, first, last, ["RowKey", "State"], cancellationToken))
        {
            if (e.GetString("State") == StateCurrent && TryDay(e.RowKey, out var day))
            {
                result.Add(day);
            }
        }

        return result;
    }

    /// <summary>
    /// Rolls up the queue's <paramref name="day"/> from the entries <paramref name="readDay"/> returns (all of that day's,
    /// read after this call has marked the row as building); false when an append marked the day stale (or another
    /// roll-up started) meanwhile, in which case nothing is written and the next run tries again.
    /// </summary>
    public async Task<bool> RollUpAsync(string queueId, DateOnly day, Func<CancellationToken, Task<IReadOnlyList<LedgerEntry>>> readDay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readDay);
        var building = await tables.ExecuteAsync(tables.Names.KpiDaily,
            (t, ct) => t.UpsertEntityAsync(Marker(queueId, day, StateBuilding), TableUpdateMode.Replace, ct), cancellationToken);
        var etag = building.Headers.ETag ?? throw new InvalidOperationException("The table service returned no ETag for the roll-up marker.");
        var rollup = KpiDayRollup.Of(day, await readDay(cancellationToken));
        var entity = Marker(queueId, day, StateCurrent);
        WriteAgents(entity, rollup.ByAgent);
        try
        {
            await tables.ExecuteAsync(tables.Names.KpiDaily, (t, ct) => t.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Marks the queue's <paramref name="day"/> stale: an entry was appended to it after it ended.</summary>
    public Task MarkStaleAsync(string queueId, DateOnly day, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.KpiDaily,
            (t, ct) => t.UpsertEntityAsync(Marker(queueId, day, StateStale), TableUpdateMode.Replace, ct), cancellationToken);

    private async IAsyncEnumerable<TableEntity> QueryAsync(string queueId, DateOnly first, DateOnly last, IEnumerable<string>? select,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Reads never create the table: a deployment that has not rolled anything up yet reads as no roll-ups.
        var client = tables.GetExisting(tables.Names.KpiDaily);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {queueId} and RowKey ge {RowKey(first)} and RowKey le {RowKey(last)}");
        var pages = client.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<TableEntity> page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }

                    page = pages.Current;
                }
                catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
                {
                    yield break;
                }

                foreach (var e in page.Values)
                {
                    yield return e;
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    private static TableEntity Marker(string queueId, DateOnly day, string state) => new(queueId, RowKey(day)) { ["State"] = state };

    private static void WriteAgents(TableEntity entity, IReadOnlyDictionary<string, KpiTotals> byAgent)
    {
        var json = JsonSerializer.Serialize(
            byAgent.Select(p => new AgentTotals(p.Key, p.Value.OffersMade, p.Value.Acceptances, p.Value.Credit.ToString(CultureInfo.InvariantCulture), p.Value.LedgerEntries)),
            Json);
        var chunks = 0;
        for (var i = 0; i < json.Length; i += ChunkChars)
        {
            entity["A" + chunks.ToString(CultureInfo.InvariantCulture)] = json.Substring(i, Math.Min(ChunkChars, json.Length - i));
            chunks++;
        }

        entity["Chunks"] = chunks;
    }

    private static Dictionary<string, KpiTotals> ReadAgents(TableEntity entity)
    {
        var json = new StringBuilder();
        var chunks = entity.GetInt32("Chunks") ?? 0;
        for (var i = 0; i < chunks; i++)
        {
            json.Append(entity.GetString("A" + i.ToString(CultureInfo.InvariantCulture)));
        }

        var agents = json.Length == 0 ? [] : JsonSerializer.Deserialize<List<AgentTotals>>(json.ToString(), Json) ?? [];
        return agents.ToDictionary(
            a => a.AgentId,
            a => new KpiTotals(a.OffersMade, a.Acceptances, decimal.Parse(a.Credit, NumberStyles.Number, CultureInfo.InvariantCulture), a.LedgerEntries),
            StringComparer.Ordinal);
    }

    private static string RowKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static bool TryDay(string rowKey, out DateOnly day) =>
        DateOnly.TryParseExact(rowKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private sealed record AgentTotals(string AgentId, int OffersMade, int Acceptances, string Credit, int LedgerEntries);
}
