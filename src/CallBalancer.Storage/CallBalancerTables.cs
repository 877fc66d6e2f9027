using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;

namespace CallBalancer.Storage;

/// <summary>
/// The Table service client and the balancer's tables. A DI singleton: built from a connection string (Azurite,
/// locally) or from an endpoint plus <see cref="DefaultAzureCredential"/> (the cloud), the same code path after that.
/// Each table is created on first use, once per process; a failed creation is retried on the next use.
/// </summary>
public sealed class CallBalancerTables
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    /// <summary>Builds the service client from the options.</summary>
    public CallBalancerTables(StorageOptions options)
        : this(options, [])
    {
    }

    /// <summary>
    /// Builds the service client with extra pipeline policies (each runs once per HTTP request to the Table service,
    /// retries included): the ingest benchmark counts storage requests this way.
    /// </summary>
    public CallBalancerTables(StorageOptions options, IEnumerable<HttpPipelinePolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policies);
        Names = new TableNames(options.TablePrefix);
        Service = CreateServiceClient(options, policies);
    }

    /// <summary>The table names (with prefix).</summary>
    public TableNames Names { get; }

    /// <summary>The Table service client.</summary>
    public TableServiceClient Service { get; }

    /// <summary>Builds a <see cref="TableServiceClient"/>: connection string when given, else endpoint + managed identity.</summary>
    public static TableServiceClient CreateServiceClient(StorageOptions options) => CreateServiceClient(options, []);

    private static TableServiceClient CreateServiceClient(StorageOptions options, IEnumerable<HttpPipelinePolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions();
        foreach (var policy in policies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        // The SDK already retries transport faults (3 tries, exponential); keep its default and do not add Polly on
        // every call (that multiplies attempts). Keep a per-try timeout short so a dead endpoint fails fast.
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        clientOptions.Retry.MaxRetries = 3;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new TableServiceClient(options.ConnectionString, clientOptions);
        }

        if (options.TableEndpoint is null)
        {
            throw new InvalidOperationException(
                "No storage configured: set CallBalancer__Storage__ConnectionString (or AzureWebJobsStorage) or CallBalancer__Storage__TableEndpoint.");
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
        });
        return new TableServiceClient(options.TableEndpoint, credential, clientOptions);
    }

    /// <summary>The client of one table, created on first use.</summary>
    public async Task<TableClient> GetAsync(string tableName, CancellationToken cancellationToken = default)
    {
        var lazy = _tables.GetOrAdd(tableName, name => new Lazy<Task<TableClient>>(() => CreateAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Do not cache a failure (storage down at start-up): the next call tries again.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(tableName, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = Service.GetTableClient(name);
        await client.CreateIfNotExistsAsync();
        return client;
    }
}
