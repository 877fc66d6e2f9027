using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace CallBalancer.DevHost;

/// <summary>
/// Feeds a queue-triggered function from its Storage queue the way the Functions host's queue listener does, with the
/// Storage extension's defaults: up to <see cref="BatchSize"/> messages fetched at once and run concurrently, each
/// invisible while its function runs, deleted when the function returns, made visible again at once when it throws,
/// and moved to <c>{queue}-poison</c> once it has been dequeued <see cref="MaxDequeueCount"/> times.
/// </summary>
internal sealed class QueueFunctionDispatcher
{
    /// <summary>Messages fetched per request (the Storage extension's default <c>batchSize</c>).</summary>
    public const int BatchSize = 16;

    /// <summary>Dequeues after which a failing message goes to the poison queue (the extension's default <c>maxDequeueCount</c>).</summary>
    public const int MaxDequeueCount = 5;

    private static readonly TimeSpan Invisible = TimeSpan.FromMinutes(5);

    private readonly FunctionEntry _function;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly QueueClient _poison;
    private bool _poisonCreated;

    /// <summary>
    /// Dispatches <paramref name="function"/>'s messages from <paramref name="queue"/> (a client with base64 message
    /// encoding, as the trigger expects); messages that keep failing go to <paramref name="poison"/>.
    /// </summary>
    public QueueFunctionDispatcher(FunctionEntry function, QueueClient queue, QueueClient poison, IServiceProvider services, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(poison);
        _function = function;
        Queue = queue;
        _poison = poison;
        _services = services;
        _logger = logger;
    }

    /// <summary>
    /// A dispatcher for each queue-triggered function whose queue (<c>%SETTING%</c> resolved from configuration, like the
    /// Functions host) and connection are configured. The connection setting named by the trigger (<c>AzureWebJobsStorage</c>)
    /// falls back to <c>CallBalancer:Storage:ConnectionString</c>, and must name a Queue endpoint: the dev host's own
    /// Azurite serves tables only, so by default there is none and the rebalance decides every queue in the timer.
    /// </summary>
    public static IReadOnlyList<QueueFunctionDispatcher> ForConfiguredQueues(
        IEnumerable<FunctionEntry> functions, IConfiguration configuration, IServiceProvider services, ILoggerFactory loggers,
        IEnumerable<HttpPipelinePolicy>? policies = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggers);
        var result = new List<QueueFunctionDispatcher>();
        foreach (var f in functions.Where(f => f.Queue is not null))
        {
            var name = f.Queue!.QueueName is { Length: > 2 } q && q.StartsWith('%') && q.EndsWith('%') ? configuration[q[1..^1]] : f.Queue.QueueName;
            var connectionName = string.IsNullOrEmpty(f.Queue.Connection) ? "AzureWebJobsStorage" : f.Queue.Connection;
            var connection = configuration[connectionName] is { Length: > 0 } c ? c : configuration["CallBalancer:Storage:ConnectionString"];
            if (string.IsNullOrWhiteSpace(name) || connection is null
                || !(connection.Contains("QueueEndpoint=", StringComparison.OrdinalIgnoreCase) || connection.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            // Pinned to a service version Azurite 3.37 serves; base64 bodies, the trigger's default encoding.
            var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2024_11_04) { MessageEncoding = QueueMessageEncoding.Base64 };
            foreach (var policy in policies ?? [])
            {
                options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            }

            result.Add(new QueueFunctionDispatcher(f, new QueueClient(connection, name, options), new QueueClient(connection, name + "-poison", options),
                services, loggers.CreateLogger(typeof(QueueFunctionDispatcher).FullName + "." + f.Name)));
        }

        return result;
    }

    /// <summary>The queue the function listens to.</summary>
    public QueueClient Queue { get; }

    /// <summary>Fetches one batch and runs the function for each message; returns how many messages were fetched.</summary>
    public async Task<int> RunBatchAsync(CancellationToken cancellationToken = default)
    {
        QueueMessage[] messages = (await Queue.ReceiveMessagesAsync(BatchSize, Invisible, cancellationToken)).Value;
        await Task.WhenAll(messages.Select(m => RunOneAsync(m, cancellationToken)));
        return messages.Length;
    }

    /// <summary>Runs batches until the queue answers with none (a failed message made visible again is fetched again); returns the messages handled.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int fetched;
        while ((fetched = await RunBatchAsync(cancellationToken)) > 0)
        {
            total += fetched;
        }

        return total;
    }

    private async Task RunOneAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await FunctionInvoker.InvokeQueueAsync(_function, _services, message.Body.ToString(), cancellationToken);
            await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= MaxDequeueCount)
            {
                _logger.LogError(ex, "Queue function {Function} failed on message {MessageId} {DequeueCount} times; moved to {PoisonQueue}",
                    _function.Name, message.MessageId, message.DequeueCount, _poison.Name);
                if (!_poisonCreated)
                {
                    await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    _poisonCreated = true;
                }

                await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            else
            {
                _logger.LogWarning(ex, "Queue function {Function} failed on message {MessageId} (dequeue {DequeueCount}); it will be retried",
                    _function.Name, message.MessageId, message.DequeueCount);
                await Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
            }
        }
    }
}
