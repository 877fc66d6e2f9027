using Azure;
using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>
/// Removes what is older than the retention period: whole per-month decision tables (one-table-per-period, so a
/// month goes in one delete instead of millions of entity deletes) and the snapshots of queues that have gone quiet.
/// Idempotent: running it twice removes nothing more.
/// </summary>
public sealed class RetentionService(CallBalancerTables tables, TimeProvider time)
{
    /// <summary>Deletes data older than <paramref name="retention"/>; returns what was removed.</summary>
    public async Task<RetentionResult> RunAsync(TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - retention;
        var stem = tables.Names.Decisions;
        var dropped = new List<string>();
        await foreach (var table in tables.Service.QueryAsync(t => t.Name.CompareTo(stem) >= 0 && t.Name.CompareTo(stem + "~") < 0, cancellationToken: cancellationToken))
        {
            // A month's table goes only when the whole month is older than the cut-off.
            if (tables.Names.DecisionsMonth(table.Name) is { } month && month.AddMonths(1) <= cutoff)
            {
                await tables.Service.DeleteTableAsync(table.Name, cancellationToken);
                dropped.Add(table.Name);
            }
        }

        var snapshotsRemoved = await tables.ExecuteAsync(tables.Names.Snapshots, async (table, ct) =>
        {
            var removed = 0;
            await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"ObservedAt lt {cutoff}"), select: ["PartitionKey", "RowKey", "ObservedAt"], cancellationToken: ct))
            {
                try
                {
                    // Conditional on the ETag read: a snapshot that arrived meanwhile is kept.
                    await table.DeleteEntityAsync(e.PartitionKey, e.RowKey, e.ETag, ct);
                    removed++;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    // Gone already, or replaced by a fresh snapshot.
                }
            }

            return removed;
        }, cancellationToken);

        return new RetentionResult(cutoff, dropped, snapshotsRemoved);
    }
}
