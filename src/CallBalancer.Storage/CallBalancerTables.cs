using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>
/// The Table service client and the balancer's tables. A DI singleton: built from a connection string (Azurite,
/// locally) or, in the cloud, from an endpoint plus <c>DefaultAzureCredential</c> (<see cref="StorageCredential"/>); the same
/// code path after that.
/// Each table is created on first use, once per process; a failed creation is retried on the next use.
/// </summary>
public sealed class CallBalancerTables
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    /// <summary>Builds the service client from the options.</summary>
    /// <param name="options">Where storage is.</param>
    /// <param name="configureClient">Optional hook on the client options (tests and benchmarks add pipeline policies: request counting, fault injection).</param>
    public CallBalancerTables(StorageOptions options, Action<TableClientOptions>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Names = new TableNames(options.TablePrefix);
        Service = CreateServiceClient(options, configureClient);
    }

    /// <summary>
    /// Builds the service client with extra pipeline policies (each runs once per HTTP request to the Table service,
    /// retries included): the ingest benchmark counts storage requests this way.
    /// </summary>
    public CallBalancerTables(StorageOptions options, IEnumerable<HttpPipelinePolicy> policies)
        : this(options, o =>
        {
            foreach (var policy in policies)
            {
                o.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            }
        })
    {
    }

    /// <summary>The table names (with prefix).</summary>
    public TableNames Names { get; }

    /// <summary>The Table service client.</summary>
    public TableServiceClient Service { get; }

    /// <summary>Builds a <see cref="TableServiceClient"/>: connection string when given, else endpoint + managed identity.</summary>
    public static TableServiceClient CreateServiceClient(StorageOptions options, Action<TableClientOptions>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions();

        // The SDK already retries transport faults (3 tries, exponential); keep its default and do not add Polly on
        // every call (that multiplies attempts). Keep a per-try timeout short so a dead endpoint fails fast.
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        clientOptions.Retry.MaxRetries = 3;

        // Outside those retries: fail fast while storage is down (fail-safe answers and 503s in milliseconds).
        clientOptions.AddPolicy(new StorageCircuitBreakerPolicy(), HttpPipelinePosition.PerCall);
        configureClient?.Invoke(clientOptions);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new TableServiceClient(options.ConnectionString, clientOptions);
        }

        if (options.TableEndpoint is null)
        {
            throw new InvalidOperationException(
                "No storage configured: set CallBalancer__Storage__ConnectionString (or AzureWebJobsStorage) or CallBalancer__Storage__TableEndpoint.");
        }

        return new TableServiceClient(options.TableEndpoint, StorageCredential.Create(options), clientOptions);
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

    /// <summary>
    /// The client of a table that may not exist, without creating it: reads of a period nobody wrote (or that
    /// retention dropped) and clean-up must not create empty tables. Operations on it fail with
    /// <see cref="IsTableNotFound"/> when the table is missing.
    /// </summary>
    public TableClient GetExisting(string tableName) => Service.GetTableClient(tableName);

    /// <summary>True for the error of an operation on a table that does not exist.</summary>
    public static bool IsTableNotFound(RequestFailedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Status == 404 && ex.ErrorCode == "TableNotFound";
    }

    /// <summary>
    /// Runs an operation on a table; if the table has vanished since it was created in this process (deleted by
    /// retention, or an emulator restarted without its data), creates it again and runs the operation once more.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(string tableName, Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var client = await GetAsync(tableName, cancellationToken);
        try
        {
            return await operation(client, cancellationToken);
        }
        catch (RequestFailedException ex) when (IsTableNotFound(ex))
        {
            _tables.TryRemove(tableName, out _);
            client = await GetAsync(tableName, cancellationToken);
            return await operation(client, cancellationToken);
        }
    }

    /// <summary>As <see cref="ExecuteAsync{T}"/>, for an operation without a result.</summary>
    public Task ExecuteAsync(string tableName, Func<TableClient, CancellationToken, Task> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return ExecuteAsync(tableName, async (client, ct) =>
        {
            await operation(client, ct);
            return true;
        }, cancellationToken);
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = Service.GetTableClient(name);
        await client.CreateIfNotExistsAsync();
        return client;
    }
}
