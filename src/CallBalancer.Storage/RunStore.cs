using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>Bookkeeping of scheduled runs (PartitionKey = run kind, RowKey = <c>last</c>): when the last rebalance finished and what it did.</summary>
public sealed class RunStore(CallBalancerTables tables)
{
    private const string RebalanceKind = "rebalance";
    private const string LastRowKey = "last";

    /// <summary>Records a finished rebalance run (an upsert: bookkeeping, not a transition).</summary>
    public async Task RecordRebalanceAsync(RebalanceRunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = new TableEntity(RebalanceKind, LastRowKey)
        {
            ["StartedAt"] = run.StartedAt,
            ["CompletedAt"] = run.CompletedAt,
            ["Queues"] = run.Queues,
            ["Flips"] = run.Flips,
            ["Failures"] = run.Failures,
        };
        await tables.ExecuteAsync(tables.Names.Runs, (table, ct) => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct), cancellationToken);
    }

    /// <summary>The last recorded rebalance run, or null when none has run.</summary>
    public async Task<RebalanceRunSummary?> GetLastRebalanceAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tables.Names.Runs, cancellationToken);
        var e = await table.GetEntityIfExistsAsync<TableEntity>(RebalanceKind, LastRowKey, cancellationToken: cancellationToken);
        if (!e.HasValue)
        {
            return null;
        }

        var v = e.Value!;
        return new RebalanceRunSummary(
            v.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
            v.GetDateTimeOffset("CompletedAt") ?? DateTimeOffset.MinValue,
            v.GetInt32("Queues") ?? 0,
            v.GetInt32("Flips") ?? 0,
            v.GetInt32("Failures") ?? 0);
    }
}
