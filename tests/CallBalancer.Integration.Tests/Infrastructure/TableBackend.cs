using Azure.Data.Tables;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>
/// A Table service the same tests run against: Azurite (the real wire protocol, lax in places) or the strict
/// in-memory service (exact ETag and transaction semantics). Both sit under the real SDK, so the production stores
/// run unchanged on either.
/// </summary>
public abstract class TableBackend
{
    /// <summary>For test names and messages.</summary>
    public abstract string Name { get; }

    /// <summary>Storage options for a test's own table prefix.</summary>
    public abstract StorageOptions Options(string prefix);

    /// <summary>Adjusts a client to reach this backend (the strict service replaces the transport).</summary>
    public abstract void Configure(TableClientOptions options);

    /// <summary>A client for the backend, with optional extra client settings (pipeline policies, retries).</summary>
    public CallBalancerTables CreateTables(string prefix, Action<TableClientOptions>? extra = null) =>
        new(Options(prefix), o =>
        {
            Configure(o);
            extra?.Invoke(o);
        });

    public override string ToString() => Name;
}
