using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Forecasting;

namespace CallBalancer.Storage;

/// <summary>
/// Each queue's online forecaster state (PartitionKey = queue id, RowKey = <c>state</c>), a few KB of JSON that the
/// forecast timer updates interval by interval and the rebalance reads. Saved with the ETag read, so two overlapping
/// forecast runs cannot interleave their updates.
/// </summary>
public sealed class ForecastStore(CallBalancerTables tables)
{
    private const string StateRowKey = "state";

    /// <summary>The stored state of a queue and its ETag, or null when the queue has no forecast yet.</summary>
    public async Task<(ArrivalForecastState State, ETag ETag)?> GetAsync(string queueId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tables.Names.Forecasts, cancellationToken);
        var e = await table.GetEntityIfExistsAsync<TableEntity>(queueId, StateRowKey, cancellationToken: cancellationToken);
        if (!e.HasValue)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<ArrivalForecastState>(EntityChunks.Read(e.Value!, "State"));
        return state is null ? null : (state, e.Value!.ETag);
    }

    /// <summary>Saves a state read with <paramref name="etag"/> (insert when <paramref name="etag"/> is null).</summary>
    /// <exception cref="RequestFailedException">412/409 when someone saved in between: re-read and redo the update.</exception>
    public async Task SaveAsync(string queueId, ArrivalForecastState state, ETag? etag, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(queueId, StateRowKey);
        EntityChunks.Write(entity, "State", JsonSerializer.Serialize(state));
        await tables.ExecuteAsync(tables.Names.Forecasts, (table, ct) => etag is { } tag
            ? table.UpdateEntityAsync(entity, tag, TableUpdateMode.Replace, ct)
            : table.AddEntityAsync(entity, ct), cancellationToken);
    }
}
