using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;

namespace CallBalancer.Storage;

/// <summary>
/// The rebalance work queue on Azure Queue storage: connection string locally (Azurite), endpoint plus
/// <c>DefaultAzureCredential</c> (<see cref="StorageCredential"/>) in the cloud. Messages are base64 JSON, the Functions queue trigger's default.
/// </summary>
public sealed class StorageRebalanceWorkQueue : IRebalanceWorkQueue
{
    private readonly QueueClient? _queue;
    private readonly SemaphoreSlim _created = new(1, 1);
    private bool _exists;

    /// <summary>Builds the client for the queue named <paramref name="queueName"/>.</summary>
    /// <param name="options">Where storage is.</param>
    /// <param name="queueName">The work queue.</param>
    /// <param name="policies">Extra pipeline policies, run once per HTTP request (benchmarks count storage requests with one).</param>
    public StorageRebalanceWorkQueue(StorageOptions options, string queueName, IEnumerable<HttpPipelinePolicy>? policies = null)
        : this(options, queueName, o =>
        {
            foreach (var policy in policies ?? [])
            {
                o.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            }
        })
    {
    }

    /// <summary>Builds the client for the queue named <paramref name="queueName"/>, with a hook on the client options (tests replace the transport).</summary>
    public StorageRebalanceWorkQueue(StorageOptions options, string queueName, Action<QueueClientOptions> configureClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configureClient);
        // Pinned to a service version Azurite 3.37 also serves (the SDK default is newer than the emulator).
        var clientOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2024_11_04) { MessageEncoding = QueueMessageEncoding.Base64 };
        configureClient(clientOptions);

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            _queue = new QueueClient(options.ConnectionString, queueName, clientOptions);
        }
        else if (options.QueueEndpoint is not null)
        {
            _queue = new QueueClient(new Uri(options.QueueEndpoint, queueName), StorageCredential.Create(options), clientOptions);
        }

        // Otherwise the queue is not configured: that is an error only when a fan-out uses it (Client throws then), so an
        // app that decides every queue inside the timer needs no Queue endpoint.
    }

    /// <summary>The queue client (tests read messages back through it).</summary>
    /// <exception cref="InvalidOperationException">Neither a connection string nor a Queue endpoint is configured.</exception>
    public QueueClient Client => _queue
        ?? throw new InvalidOperationException("The rebalance work queue needs CallBalancer__Storage__QueueEndpoint or a connection string.");

    /// <inheritdoc />
    public async Task EnqueueAsync(RebalanceWorkItem item, CancellationToken cancellationToken = default)
    {
        if (!_exists)
        {
            await _created.WaitAsync(cancellationToken);
            try
            {
                if (!_exists)
                {
                    await Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    _exists = true;
                }
            }
            finally
            {
                _created.Release();
            }
        }

        // A work item older than its worker's age limit is skipped, so a message need not outlive a few minutes.
        await Client.SendMessageAsync(JsonSerializer.Serialize(item), timeToLive: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async Task<(string Name, int ApproximateMessages)> GetLengthAsync(CancellationToken cancellationToken = default)
    {
        var properties = await Client.GetPropertiesAsync(cancellationToken);
        return (Client.Name, properties.Value.ApproximateMessagesCount);
    }
}
