using System.Text.Json;
using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Balancing;

/// <summary>
/// Queue trigger <c>RebalanceWorker</c>: decides one work item's queues, so many instances share a large run. Work
/// items older than <c>MaxWorkItemAgeSeconds</c> are dropped (a newer run covers those queues). Not hosted by the dev
/// host, which decides every queue in the timer.
/// </summary>
internal sealed class RebalanceWorkerFunction(
    RebalanceService rebalance,
    IOptions<RebalanceOptions> options,
    TimeProvider time,
    ILogger<RebalanceWorkerFunction> logger)
{
    [Function("RebalanceWorker")]
    public async Task RunAsync([QueueTrigger("%REBALANCE_WORK_QUEUE%", Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken = default)
    {
        RebalanceWorkItem? item;
        try
        {
            item = JsonSerializer.Deserialize<RebalanceWorkItem>(message);
        }
        catch (JsonException ex)
        {
            // A malformed message cannot succeed on retry: log and drop it rather than poison the queue five times.
            logger.LogError(ex, "Dropped a malformed rebalance work item");
            return;
        }

        if (item?.QueueIds is not { Count: > 0 })
        {
            logger.LogError("Dropped an empty rebalance work item");
            return;
        }

        var age = time.GetUtcNow() - item.EnqueuedAt;
        if (age > TimeSpan.FromSeconds(options.Value.MaxWorkItemAgeSeconds))
        {
            logger.LogWarning("Skipped rebalance work item of run {RunId}: {Age} old, superseded", item.RunId, age);
            return;
        }

        var log = new RebalanceLog(logger);
        log.Summary(await rebalance.RunQueuesAsync(item.QueueIds, log.Decision, log.Failure, cancellationToken));
    }
}
