using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// Offers shown and contact histories, one partition per customer (table <see cref="TableNames.CustomerOffers"/>): the
/// history (RowKey <c>history</c>) and one row per recommendation shown (<c>rec-{recommendationId}</c>).
/// The history is one entity: every change is conditional on the ETag read, so two overlapping calls for the same
/// customer cannot both add an offer past the contact limit; the loser re-reads and re-decides.
/// </summary>
public sealed class ContactHistoryStore(CallBalancerTables tables)
{
    private const string HistoryRowKey = "history";
    /// <summary>The RowKey prefix of the rows of offers shown (one per recommendation); retention deletes them by range.</summary>
    internal const string RecommendationPrefix = "rec-";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RecentItems<string, (ContactHistory History, ETag ETag)> _known = new(50_000);

    /// <summary>
    /// The offer id of the offer at <paramref name="index"/> (0-4) of a recommendation: <c>{recommendationId}.{index}</c>,
    /// so an answer finds the one row that holds its recommendation.
    /// </summary>
    public static string OfferId(string recommendationId, int index) => recommendationId + "." + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Saves the offers of one recommendation (ids from <see cref="OfferId"/>, one recommendation id) as a single entity
    /// <c>rec-{recommendationId}</c>: one plain insert, cheaper for the Table service than a transaction of one entity per offer.
    /// </summary>
    public Task SaveOffersAsync(IReadOnlyList<StoredOffer> offers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offers);
        if (offers.Count == 0)
        {
            return Task.CompletedTask;
        }

        var first = offers[0];
        if (!TryParse(first.OfferId, out var recommendationId, out _)
            || offers.Select((o, i) => (o, i)).Any(p => p.o.OfferId != OfferId(recommendationId, p.i) || p.o.CustomerId != first.CustomerId))
        {
            throw new ArgumentException("The offers of one recommendation, for one customer, with ids {recommendationId}.0 to .4 in order.", nameof(offers));
        }

        var entity = new TableEntity(first.CustomerId, RecommendationPrefix + recommendationId)
        {
            ["AgentId"] = first.AgentId,
            ["QueueId"] = first.QueueId,
            ["Reason"] = first.Reason.ToCode(),
            ["Segment"] = first.Segment,
            ["MadeAt"] = first.MadeAt,
            ["Offers"] = offers.Count,
        };
        for (var i = 0; i < offers.Count; i++)
        {
            entity["Product" + i.ToString(CultureInfo.InvariantCulture)] = offers[i].ProductId;
            entity["Score" + i.ToString(CultureInfo.InvariantCulture)] = offers[i].Score;
        }

        return tables.ExecuteAsync(tables.Names.CustomerOffers, (t, ct) => t.AddEntityAsync(entity, ct), cancellationToken);
    }

    /// <summary>An offer made to <paramref name="customerId"/>, or null (unknown offer, or made to someone else).</summary>
    public async Task<StoredOffer?> GetOfferAsync(string customerId, string offerId, CancellationToken cancellationToken = default)
    {
        if (!TryParse(offerId, out var recommendationId, out var index))
        {
            return null;
        }

        var e = await tables.ExecuteAsync(tables.Names.CustomerOffers,
            (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(customerId, RecommendationPrefix + recommendationId, cancellationToken: ct), cancellationToken);
        if (!e.HasValue || index >= (e.Value!.GetInt32("Offers") ?? 0))
        {
            return null;
        }

        var v = e.Value!;
        OfferNames.TryParseReason(v.GetString("Reason"), out var reason);
        var n = index.ToString(CultureInfo.InvariantCulture);
        return new StoredOffer(offerId, customerId, v.GetString("AgentId") ?? string.Empty, v.GetString("Product" + n) ?? string.Empty,
            reason, v.GetString("Segment") ?? "unknown", v.GetDouble("Score" + n) ?? 0, v.GetDateTimeOffset("MadeAt") ?? DateTimeOffset.MinValue)
        {
            QueueId = v.GetString("QueueId") is { Length: > 0 } q ? q : null,
        };
    }

    private static bool TryParse(string offerId, out string recommendationId, out int index)
    {
        var dot = offerId.LastIndexOf('.');
        recommendationId = dot > 0 ? offerId[..dot] : string.Empty;
        return int.TryParse(offerId.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && dot > 0 && index is >= 0 and < 5 && offerId.Length - dot == 2;
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

        // Spread over chunks (a string property holds 32K characters, about 150 answers); a single "Records" before that.
        var json = EntityChunks.ReadOrSingle(e.Value!, "Records", "Records", "[]");
        var rows = JsonSerializer.Deserialize<List<RecordRow>>(json, Json) ?? [];
        var records = rows.Select(r => new ContactRecord(r.OfferId, r.ProductId, r.AgentId,
            OfferNames.TryParseOutcome(r.Outcome, out var o) ? o : OfferOutcome.Declined, r.OccurredAt, r.Credit, r.ReversedAt)).ToList();
        var history = new ContactHistory(records, e.Value!.GetDateTimeOffset("OptedOutAt"));
        Remember(customerId, history, e.Value!.ETag);
        return (history, e.Value!.ETag);
    }

    /// <summary>
    /// The history and ETag this instance last read or wrote for the customer, if it still remembers them. It may be
    /// out of date (another instance wrote since): good enough to attempt a write conditional on that ETag, which then
    /// fails and is re-decided on a fresh read, never to decide anything that writes nothing.
    /// </summary>
    public bool TryGetRemembered(string customerId, out (ContactHistory History, ETag? ETag) remembered)
    {
        if (_known.TryGet(customerId, out var known))
        {
            remembered = (known.History, known.ETag);
            return true;
        }

        remembered = default;
        return false;
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
            ["OptedOutAt"] = history.OptedOutAt,
            ["WriteId"] = writeId,
        };
        // The history is never trimmed (an opt-out and the cool-downs are for good), so it outgrows one string property
        // after about 150 answers: 4 years at the default limit. Chunks take it to the entity's 1 MB, about 4,700.
        EntityChunks.Write(entity, "Records", JsonSerializer.Serialize(rows, Json));
        try
        {
            var response = await tables.ExecuteAsync(tables.Names.CustomerOffers, (t, ct) => readETag is { } etag
                ? t.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct)
                : t.AddEntityAsync(entity, ct), cancellationToken);
            Remember(customerId, history, response.Headers.ETag);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            _known.Remove(customerId);
            var now = await tables.ExecuteAsync(tables.Names.CustomerOffers,
                (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(customerId, HistoryRowKey, cancellationToken: ct), cancellationToken);
            return now.HasValue && now.Value!.GetString("WriteId") == writeId;
        }
    }

    private void Remember(string customerId, ContactHistory history, ETag? etag)
    {
        if (etag is { } e)
        {
            _known.Set(customerId, (history, e));
            _known.Trim();
        }
        else
        {
            _known.Remove(customerId);
        }
    }

    private sealed record RecordRow(string OfferId, string ProductId, string AgentId, string Outcome, DateTimeOffset OccurredAt, double Credit, DateTimeOffset? ReversedAt);
}
