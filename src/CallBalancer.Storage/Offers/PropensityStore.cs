using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// Learned acceptance counts per product x call reason x segment (PartitionKey = <c>{reason}|{segment}</c>,
/// RowKey = product id): a recommendation reads its cell's partition in one query; an answer updates one entity
/// conditionally on its ETag, re-reading on a conflict, so concurrent answers are all counted. The counts and ETag this
/// instance last read or wrote are remembered, so an update usually goes straight to the conditional write (one
/// request): if another instance counted meanwhile the ETag no longer matches (412) and it re-reads. Each write carries
/// a write id, so a 412 caused by the SDK retrying our own committed write (azure-sdk-for-net#39146) is not counted twice.
/// </summary>
public sealed class PropensityStore(CallBalancerTables tables)
{
    private const int MaxAttempts = 10;

    private readonly RecentItems<(string Partition, string ProductId), (PropensityCounts Counts, ETag ETag)> _known = new(10_000);

    /// <summary>The counts of every product for one reason and segment.</summary>
    public Task<IReadOnlyDictionary<string, PropensityCounts>> GetCellAsync(CallReason reason, string segment, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.Propensity, async (t, ct) =>
        {
            var result = new Dictionary<string, PropensityCounts>(StringComparer.Ordinal);
            var pk = Partition(reason, segment);
            await foreach (var e in t.QueryAsync<TableEntity>(x => x.PartitionKey == pk, cancellationToken: ct))
            {
                var counts = Counts(e);
                result[e.RowKey] = counts;
                _known.Set((pk, e.RowKey), (counts, e.ETag));
            }

            _known.Trim();
            return (IReadOnlyDictionary<string, PropensityCounts>)result;
        }, cancellationToken);

    /// <summary>Counts one answer into its cell. Returns false if it lost the race <see cref="MaxAttempts"/> times.</summary>
    public Task<bool> AddAsync(CallReason reason, string segment, string productId, OfferOutcome outcome, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.Propensity, async (t, ct) =>
        {
            var pk = Partition(reason, segment);
            var key = (pk, productId);
            var remembered = _known.TryGet(key, out var k) ? k : ((PropensityCounts Counts, ETag ETag)?)null;
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                PropensityCounts before;
                ETag? etag;
                if (attempt == 0 && remembered is { } r)
                {
                    (before, etag) = (r.Counts, r.ETag);
                }
                else
                {
                    var read = await t.GetEntityIfExistsAsync<TableEntity>(pk, productId, cancellationToken: ct);
                    (before, etag) = read.HasValue ? (Counts(read.Value!), read.Value!.ETag) : (PropensityCounts.None, (ETag?)null);
                }

                var after = before.With(outcome);
                var writeId = Guid.NewGuid().ToString("N");
                var entity = new TableEntity(pk, productId) { ["Offers"] = after.Offers, ["Acceptances"] = after.Acceptances, ["WriteId"] = writeId };
                try
                {
                    var response = etag is { } e
                        ? await t.UpdateEntityAsync(entity, e, TableUpdateMode.Replace, ct)
                        : await t.AddEntityAsync(entity, ct);
                    Remember(key, after, response.Headers.ETag);
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    // Someone else counted an answer in this cell first (re-read and count again), unless the stored
                    // write is this one, committed by a request whose response was lost and retried by the SDK.
                    var now = await t.GetEntityIfExistsAsync<TableEntity>(pk, productId, cancellationToken: ct);
                    if (now.HasValue && now.Value!.GetString("WriteId") == writeId)
                    {
                        Remember(key, after, now.Value.ETag);
                        return true;
                    }

                    _known.Remove(key);
                }
            }

            return false;
        }, cancellationToken);

    private void Remember((string, string) key, PropensityCounts counts, ETag? etag)
    {
        if (etag is { } e)
        {
            _known.Set(key, (counts, e));
        }
        else
        {
            _known.Remove(key);
        }
    }

    private static PropensityCounts Counts(TableEntity e) => new(e.GetInt32("Offers") ?? 0, e.GetInt32("Acceptances") ?? 0);

    private static string Partition(CallReason reason, string segment) => reason.ToCode() + "|" + segment;
}
