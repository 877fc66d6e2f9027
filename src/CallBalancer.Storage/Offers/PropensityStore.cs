using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// Learned acceptance counts per product x call reason x segment (PartitionKey = <c>{reason}|{segment}</c>,
/// RowKey = product id): a recommendation reads its cell's partition in one query; an answer updates one entity
/// conditionally on its ETag, re-reading on a conflict, so concurrent answers are all counted.
/// </summary>
public sealed class PropensityStore(CallBalancerTables tables)
{
    private const int MaxAttempts = 10;

    /// <summary>The counts of every product for one reason and segment.</summary>
    public Task<IReadOnlyDictionary<string, PropensityCounts>> GetCellAsync(CallReason reason, string segment, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.Propensity, async (t, ct) =>
        {
            var result = new Dictionary<string, PropensityCounts>(StringComparer.Ordinal);
            var pk = Partition(reason, segment);
            await foreach (var e in t.QueryAsync<TableEntity>(x => x.PartitionKey == pk, cancellationToken: ct))
            {
                result[e.RowKey] = new PropensityCounts(e.GetInt32("Offers") ?? 0, e.GetInt32("Acceptances") ?? 0);
            }

            return (IReadOnlyDictionary<string, PropensityCounts>)result;
        }, cancellationToken);

    /// <summary>Counts one answer into its cell. Returns false if it lost the race <see cref="MaxAttempts"/> times.</summary>
    public Task<bool> AddAsync(CallReason reason, string segment, string productId, OfferOutcome outcome, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.Propensity, async (t, ct) =>
        {
            var pk = Partition(reason, segment);
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var read = await t.GetEntityIfExistsAsync<TableEntity>(pk, productId, cancellationToken: ct);
                var before = read.HasValue ? new PropensityCounts(read.Value!.GetInt32("Offers") ?? 0, read.Value!.GetInt32("Acceptances") ?? 0) : PropensityCounts.None;
                var after = before.With(outcome);
                var entity = new TableEntity(pk, productId) { ["Offers"] = after.Offers, ["Acceptances"] = after.Acceptances };
                try
                {
                    if (read.HasValue)
                    {
                        await t.UpdateEntityAsync(entity, read.Value!.ETag, TableUpdateMode.Replace, ct);
                    }
                    else
                    {
                        await t.AddEntityAsync(entity, ct);
                    }

                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    // Someone else counted an answer in this cell first: re-read and count again.
                }
            }

            return false;
        }, cancellationToken);

    private static string Partition(CallReason reason, string segment) => reason.ToCode() + "|" + segment;
}
