using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// Offers shown and contact histories, one partition per customer (table <see cref="TableNames.CustomerOffers"/>).
/// The history is one entity: every change is conditional on the ETag read, so two overlapping calls for the same
/// customer cannot both add an offer past the contact limit; the loser re-reads and re-decides.
/// </summary>
public sealed class ContactHistoryStore(CallBalancerTables tables)
{
    private const string HistoryRowKey = "history";
    private const string OfferPrefix = "offer-";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Saves the offers of one recommendation in a single transaction (one partition, at most 5 entities).</summary>
    public Task SaveOffersAsync(IReadOnlyList<StoredOffer> offers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offers);
        if (offers.Count == 0)
        {
            return Task.CompletedTask;
        }

        var actions = offers.Select(o => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(o.CustomerId, OfferPrefix + o.OfferId)
        {
            ["AgentId"] = o.AgentId,
            ["QueueId"] = o.QueueId,
            ["ProductId"] = o.ProductId,
            ["Reason"] = o.Reason.ToCode(),
            ["Segment"] = o.Segment,
            ["Score"] = o.Score,
            ["MadeAt"] = o.MadeAt,
        })).ToList();
        return tables.ExecuteAsync(tables.Names.CustomerOffers, (t, ct) => t.SubmitTransactionAsync(actions, ct), cancellationToken);
    }

    /// <summary>An offer made to <paramref name="customerId"/>, or null (unknown offer, or made to someone else).</summary>
    public async Task<StoredOffer?> GetOfferAsync(string customerId, string offerId, CancellationToken cancellationToken = default)
    {
        var e = await tables.ExecuteAsync(tables.Names.CustomerOffers,
            (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(customerId, OfferPrefix + offerId, cancellationToken: ct), cancellationToken);
        if (!e.HasValue)
        {
            return null;
        }

        var v = e.Value!;
        OfferNames.TryParseReason(v.GetString("Reason"), out var reason);
        return new StoredOffer(offerId, customerId, v.GetString("AgentId") ?? string.Empty, v.GetString("ProductId") ?? string.Empty,
            reason, v.GetString("Segment") ?? "unknown", v.GetDouble("Score") ?? 0, v.GetDateTimeOffset("MadeAt") ?? DateTimeOffset.MinValue)
        {
            QueueId = v.GetString("QueueId") is { Length: > 0 } q ? q : null,
        };
    }

    /// <summary>The customer's history and its ETag (null ETag: no history stored yet).</summary>
    public async Task<(ContactHistory History, ETag? ETag)> GetHistoryAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var e = await tables.ExecuteAsync(tables.Names.CustomerOffers,
            (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(customerId, HistoryRowKey, cancellationToken: ct), cancellationToken);
        if (!e.HasValue)
        {
            return (ContactHistory.Empty, null);
        }

        var rows = JsonSerializer.Deserialize<List<RecordRow>>(e.Value!.GetString("Records") ?? "[]", Json) ?? [];
        var records = rows.Select(r => new ContactRecord(r.OfferId, r.ProductId, r.AgentId,
            OfferNames.TryParseOutcome(r.Outcome, out var o) ? o : OfferOutcome.Declined, r.OccurredAt, r.Credit, r.ReversedAt)).ToList();
        return (new ContactHistory(records, e.Value!.GetDateTimeOffset("OptedOutAt")), e.Value!.ETag);
    }

    /// <summary>
    /// Replaces the history conditionally on <paramref name="readETag"/> (an insert that fails if one appeared, when null).
    /// False when the history changed since it was read. A 412 caused by the SDK retrying our own committed write is
    /// recognised by the per-write id (azure-sdk-for-net#39146) and counts as success.
    /// </summary>
    public async Task<bool> TrySaveHistoryAsync(string customerId, ContactHistory history, ETag? readETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        var writeId = Guid.NewGuid().ToString("N");
        var rows = history.Records.Select(r => new RecordRow(r.OfferId, r.ProductId, r.AgentId, r.Outcome.ToName(), r.OccurredAt, r.Credit, r.ReversedAt));
        var entity = new TableEntity(customerId, HistoryRowKey)
        {
            ["Records"] = JsonSerializer.Serialize(rows, Json),
            ["OptedOutAt"] = history.OptedOutAt,
            ["WriteId"] = writeId,
        };
        try
        {
            await tables.ExecuteAsync(tables.Names.CustomerOffers, (t, ct) => readETag is { } etag
                ? t.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct)
                : t.AddEntityAsync(entity, ct), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var now = await tables.ExecuteAsync(tables.Names.CustomerOffers,
                (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(customerId, HistoryRowKey, cancellationToken: ct), cancellationToken);
            return now.HasValue && now.Value!.GetString("WriteId") == writeId;
        }
    }

    private sealed record RecordRow(string OfferId, string ProductId, string AgentId, string Outcome, DateTimeOffset OccurredAt, double Credit, DateTimeOffset? ReversedAt);
}
