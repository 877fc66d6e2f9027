using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// Keeps the latest snapshot of each queue (PartitionKey = queue id, RowKey = <c>latest</c>). A snapshot older
/// than the stored one is ignored, so retried and out-of-order posts never move a queue backwards.
/// </summary>
public sealed class SnapshotStore(CallBalancerTables tables)
{
    private const string LatestRowKey = "latest";

    /// <summary>Stores the snapshot unless a newer (or equally new) one is already stored.</summary>
    /// <returns>True when stored; false when superseded by a stored snapshot at least as new.</returns>
    public async Task<bool> SaveLatestAsync(QueueSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return await tables.ExecuteAsync(tables.Names.Snapshots, (table, ct) => SaveLatestAsync(table, snapshot, ct), cancellationToken);
    }

    private static async Task<bool> SaveLatestAsync(TableClient table, QueueSnapshot snapshot, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(snapshot.QueueId, LatestRowKey, cancellationToken: cancellationToken);
            if (existing.HasValue && existing.Value!.GetDateTimeOffset("ObservedAt") >= snapshot.ObservedAt)
            {
                return false;
            }

            var entity = ToEntity(snapshot);
            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(entity, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 10)
            {
                // Another writer got there first: re-read and compare times again.
            }
        }
    }

    /// <summary>The latest snapshot of a queue, or null.</summary>
    public async Task<QueueSnapshot?> GetLatestAsync(string queueId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tables.Names.Snapshots, cancellationToken);
        var e = await table.GetEntityIfExistsAsync<TableEntity>(queueId, LatestRowKey, cancellationToken: cancellationToken);
        return e.HasValue ? FromEntity(e.Value!) : null;
    }

    /// <summary>The latest snapshot of every queue.</summary>
    public async Task<IReadOnlyList<QueueSnapshot>> ListLatestAsync(CancellationToken cancellationToken = default)
    {
        return await tables.ExecuteAsync(tables.Names.Snapshots, async (table, ct) =>
        {
            var result = new List<QueueSnapshot>();
            await foreach (var e in table.QueryAsync<TableEntity>(x => x.RowKey == LatestRowKey, cancellationToken: ct))
            {
                result.Add(FromEntity(e));
            }

            return (IReadOnlyList<QueueSnapshot>)result;
        }, cancellationToken);
    }

    internal static TableEntity ToEntity(QueueSnapshot s)
    {
        var entity = new TableEntity(s.QueueId, LatestRowKey)
        {
            ["ObservedAt"] = s.ObservedAt,
            ["WaitingCalls"] = s.WaitingCalls,
            ["OldestWaitSeconds"] = s.OldestWaitSeconds,
            ["AgentCount"] = s.Agents.Count,
        };
        EntityChunks.Write(entity, "Agents", string.Join('|', s.Agents.Select(a => a.AgentId + "=" + StateCode(a.State))));
        return entity;
    }

    internal static QueueSnapshot FromEntity(TableEntity e)
    {
        var packed = EntityChunks.Read(e, "Agents");
        var agents = packed.Length == 0
            ? []
            : packed.Split('|').Select(p =>
            {
                var eq = p.LastIndexOf('=');
                return new AgentPresence(p[..eq], FromCode(p[(eq + 1)..]));
            }).ToList();
        return new QueueSnapshot(
            e.PartitionKey,
            e.GetDateTimeOffset("ObservedAt") ?? DateTimeOffset.MinValue,
            e.GetInt32("WaitingCalls") ?? 0,
            e.GetDouble("OldestWaitSeconds") ?? 0,
            agents);
    }

    private static string StateCode(AgentState s) => s switch
    {
        AgentState.Available => "A",
        AgentState.OnCall => "C",
        AgentState.WrapUp => "W",
        AgentState.NotReady => "N",
        _ => "L",
    };

    private static AgentState FromCode(string c) => c switch
    {
        "A" => AgentState.Available,
        "C" => AgentState.OnCall,
        "W" => AgentState.WrapUp,
        "N" => AgentState.NotReady,
        _ => AgentState.LoggedOut,
    };
}
