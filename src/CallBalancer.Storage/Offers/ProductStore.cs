using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// The product catalogue in Table storage (PartitionKey = <c>catalogue</c>, RowKey = product id). While nothing is
/// stored the catalogue is <see cref="SeedCatalogue"/>: reads serve it without writing (so a request that is refused,
/// such as a GET of an unknown product, never writes), and the first save stores the whole seed with the saved product
/// in one transaction. Supervisor edits are conditional on the ETag read, and each is written in one transaction with
/// its audit record (same partition, RowKey <c>~audit_</c> and a newest-first tail: '~' sorts after every character a
/// product id may hold, so the records never mix with the products).
/// </summary>
public sealed class ProductStore(CallBalancerTables tables)
{
    private const string Partition = "catalogue";
    private const string AuditPrefix = "~audit_";

    /// <summary>Every product: the stored catalogue, or the seed while nothing is stored.</summary>
    public async Task<IReadOnlyList<Product>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var products = await QueryAsync(cancellationToken);
        return products.Count > 0 ? products.Select(p => p.Product).ToList() : SeedCatalogue.Products;
    }

    /// <summary>
    /// One product with its ETag, or null. A seed product while nothing is stored comes with the default ETag, which
    /// <see cref="SaveAsync"/> takes as "store the seed with this edit".
    /// </summary>
    public async Task<(Product Product, ETag ETag)?> GetAsync(string productId, CancellationToken cancellationToken = default)
    {
        var e = await tables.ExecuteAsync(tables.Names.Products,
            (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(Partition, productId, cancellationToken: ct), cancellationToken);
        if (e.HasValue)
        {
            return (FromEntity(e.Value!), e.Value!.ETag);
        }

        return SeedCatalogue.Products.FirstOrDefault(p => p.ProductId == productId) is { } seed && await IsEmptyAsync(cancellationToken)
            ? (seed, default)
            : null;
    }

    /// <summary>
    /// Writes a product with its audit record, all or nothing: an update conditional on <paramref name="readETag"/>, or
    /// an insert when it is null; into an empty catalogue, the seed and the product together. False when someone else
    /// changed (or created) it, or stored the catalogue, since it was read: re-read and re-apply.
    /// </summary>
    public async Task<bool> SaveAsync(Product product, ETag? readETag, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(audit);
        var writeId = Guid.NewGuid().ToString("N");
        var entity = ToEntity(product, writeId);
        try
        {
            var actions = new List<TableTransactionAction>();
            if (readETag == default(ETag) || (readETag is null && await IsEmptyAsync(cancellationToken)))
            {
                // The first write: the seed (this product's seed version replaced by the edit) and the product.
                actions.AddRange(SeedCatalogue.Products.Where(p => p.ProductId != product.ProductId)
                    .Select(p => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(p, null))));
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
            }
            else
            {
                actions.Add(readETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            actions.Add(audit.ToAction(Partition, AuditPrefix));
            await tables.ExecuteAsync(tables.Names.Products, (t, ct) => t.SubmitTransactionAsync(actions, ct), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Someone else wrote first, or the SDK's own retry turned our committed write into a 412/409
            // (azure-sdk-for-net#39146): recognise the latter by our write id.
            var now = await tables.ExecuteAsync(tables.Names.Products,
                (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(Partition, product.ProductId, cancellationToken: ct), cancellationToken);
            return now.HasValue && now.Value!.GetString("WriteId") == writeId;
        }
    }

    /// <summary>The newest catalogue edits (who, when, the product before and after, why), newest first (one query).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int take, CancellationToken cancellationToken = default) =>
        (await ListAuditPageAsync(take, null, cancellationToken)).Entries;

    /// <summary>One page of the catalogue's audit after <paramref name="continuation"/>, and the next page's (null at the end).</summary>
    /// <exception cref="ArgumentException">Not a continuation of this audit (<see cref="IsAuditContinuation"/>).</exception>
    public Task<(IReadOnlyList<AuditEntry> Entries, string? Continuation)> ListAuditPageAsync(
        int take, string? continuation, CancellationToken cancellationToken = default) =>
        continuation is not null && !IsAuditContinuation(continuation)
            ? throw new ArgumentException("Not a continuation of this audit.", nameof(continuation))
            : tables.ExecuteAsync(tables.Names.Products, (t, ct) => AuditEntry.ListAsync(t, Partition, AuditPrefix, take, continuation, ct), cancellationToken);

    /// <summary>True when <paramref name="continuation"/> can be one a page of the catalogue's audit gave.</summary>
    public static bool IsAuditContinuation(string continuation) => AuditEntry.IsContinuation(continuation, AuditPrefix);

    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) =>
        await tables.ExecuteAsync(tables.Names.Products, async (t, ct) =>
        {
            await foreach (var _ in t.QueryAsync<TableEntity>(x => x.PartitionKey == Partition && x.RowKey.CompareTo(AuditPrefix) < 0, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
            {
                return false;
            }

            return true;
        }, cancellationToken);

    private async Task<List<(Product Product, ETag ETag)>> QueryAsync(CancellationToken cancellationToken) =>
        await tables.ExecuteAsync(tables.Names.Products, async (t, ct) =>
        {
            var list = new List<(Product, ETag)>();
            await foreach (var e in t.QueryAsync<TableEntity>(x => x.PartitionKey == Partition && x.RowKey.CompareTo(AuditPrefix) < 0, cancellationToken: ct))
            {
                list.Add((FromEntity(e), e.ETag));
            }

            return list;
        }, cancellationToken);

    internal static TableEntity ToEntity(Product p, string? writeId) => new(Partition, p.ProductId)
    {
        ["Name"] = p.Name,
        ["Category"] = p.Category,
        ["Weights"] = JsonSerializer.Serialize(p.Weights.Select(w => new WeightsRow(w.EffectiveFrom, w.ValueWeight, w.DifficultyWeight))),
        ["CardTiers"] = string.Join(',', p.Eligibility.CardTiers.Select(t => t.ToName())),
        ["MinimumTenureMonths"] = p.Eligibility.MinimumTenureMonths,
        ["SpendingCategories"] = string.Join(',', p.Eligibility.SpendingCategories),
        ["ExclusiveWith"] = string.Join(',', p.Eligibility.ExclusiveWith),
        ["CoolDownDays"] = p.CoolDownDays,
        ["ActiveFrom"] = p.ActiveFrom,
        ["ActiveTo"] = p.ActiveTo,
        ["WriteId"] = writeId,
    };

    internal static Product FromEntity(TableEntity e)
    {
        var weights = JsonSerializer.Deserialize<List<WeightsRow>>(e.GetString("Weights") ?? "[]")!
            .Select(w => new ProductWeights(w.EffectiveFrom, w.ValueWeight, w.DifficultyWeight)).OrderBy(w => w.EffectiveFrom).ToList();
        var tiers = Split(e.GetString("CardTiers")).Select(t => OfferNames.TryParseTier(t, out var tier) ? tier : (CardTier?)null)
            .Where(t => t is not null).Select(t => t!.Value).ToList();
        return new Product(
            e.RowKey,
            e.GetString("Name") ?? e.RowKey,
            e.GetString("Category") ?? string.Empty,
            weights.Count > 0 ? weights : [new ProductWeights(SeedCatalogue.SeedEffectiveFrom, 1, 1)],
            new ProductEligibility(tiers, e.GetInt32("MinimumTenureMonths") ?? 0, Split(e.GetString("SpendingCategories")), Split(e.GetString("ExclusiveWith"))),
            e.GetInt32("CoolDownDays") ?? 0,
            e.GetDateTimeOffset("ActiveFrom"),
            e.GetDateTimeOffset("ActiveTo"));
    }

    private static List<string> Split(string? s) =>
        string.IsNullOrEmpty(s) ? [] : s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private sealed record WeightsRow(DateTimeOffset EffectiveFrom, double ValueWeight, double DifficultyWeight);
}
