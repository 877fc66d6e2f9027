using System.Text.Json;
using Azure.Data.Tables;
using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// Customer profiles (PartitionKey = pseudonymous customer id, RowKey = <c>profile</c>). Profiles are reference data
/// loaded by the back office: a load replaces the whole profile (an upsert, last load wins), unlike the ETag-guarded
/// contact history.
/// </summary>
public sealed class CustomerProfileStore(CallBalancerTables tables)
{
    private const string RowKey = "profile";

    /// <summary>The stored profile, or null for a customer without one.</summary>
    public async Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var e = await tables.ExecuteAsync(tables.Names.Customers,
            (t, ct) => t.GetEntityIfExistsAsync<TableEntity>(customerId, RowKey, cancellationToken: ct), cancellationToken);
        return e.HasValue ? FromEntity(e.Value!) : null;
    }

    /// <summary>Replaces a profile.</summary>
    public Task SaveAsync(CustomerProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var entity = new TableEntity(profile.CustomerId, RowKey)
        {
            ["Tier"] = profile.Tier.ToName(),
            ["TenureMonths"] = profile.TenureMonths,
            ["Holdings"] = string.Join(',', profile.Holdings.Order(StringComparer.Ordinal)),
            ["MonthlySpending"] = JsonSerializer.Serialize(profile.MonthlySpending),
        };
        return tables.ExecuteAsync(tables.Names.Customers, (t, ct) => t.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct), cancellationToken);
    }

    /// <summary>Replaces many profiles (one partition each, so no transaction spans them), 8 at a time.</summary>
    public Task SaveManyAsync(IEnumerable<CustomerProfile> profiles, CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(profiles, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (p, ct) => await SaveAsync(p, ct));

    private static CustomerProfile FromEntity(TableEntity e)
    {
        OfferNames.TryParseTier(e.GetString("Tier"), out var tier);
        var holdings = (e.GetString("Holdings") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var spending = JsonSerializer.Deserialize<Dictionary<string, double>>(e.GetString("MonthlySpending") ?? "{}") ?? [];
        return new CustomerProfile(e.PartitionKey, tier, e.GetInt32("TenureMonths") ?? 0, holdings,
            new Dictionary<string, double>(spending, StringComparer.Ordinal));
    }
}
