namespace CallBalancer.DevHost;

/// <summary>
/// Polls each configured queue trigger's queue, like the Functions host's listener: at once again after a non-empty
/// batch, otherwise after a delay that doubles from 100 ms up to <see cref="MaxPollingInterval"/> (the
/// <c>extensions.queues.maxPollingInterval</c> that host.json sets).
/// </summary>
internal sealed class QueueFunctionListener(IReadOnlyList<QueueFunctionDispatcher> dispatchers, TimeProvider time, ILogger<QueueFunctionListener> logger)
    : BackgroundService
{
    /// <summary>The longest wait between two polls of an empty queue.</summary>
    public static readonly TimeSpan MaxPollingInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(dispatchers.Select(d => PollAsync(d, stoppingToken)));

    private async Task PollAsync(QueueFunctionDispatcher dispatcher, CancellationToken stoppingToken)
    {
        var delay = MinPollingInterval;
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var fetched = 0;
            try
            {
                if (!created)
                {
                    await dispatcher.Queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                fetched = await dispatcher.RunBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Polling queue {Queue} failed; trying again", dispatcher.Queue.Name);
            }

            if (fetched > 0)
            {
                delay = MinPollingInterval;
                continue;
            }

            await Task.Delay(delay, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollingInterval.Ticks));
        }
    }
}
