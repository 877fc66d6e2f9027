using CallBalancer.Core.Balancing;
using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Balancing;

/// <summary>
/// Timer <c>Rebalance</c> (CRON from the app setting <c>REBALANCE_SCHEDULE</c>, every 15 seconds by default): decides
/// every queue's modes and writes only what changed, here or, with a work queue configured and more queues than one
/// work item holds, through <c>RebalanceWorker</c> on other instances. Idempotent: a run with nothing new writes
/// nothing but its run record, so a past-due or overlapping run is harmless.
/// </summary>
internal sealed class RebalanceTimerFunction(
    RebalanceService rebalance,
    IOptions<RebalanceOptions> options,
    IRebalanceWorkQueue workQueue,
    ILogger<RebalanceTimerFunction> logger)
{
    [Function("Rebalance")]
    public async Task RunAsync([TimerTrigger("%REBALANCE_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            logger.LogInformation("Rebalance is past due; running now");
        }

        var log = new RebalanceLog(logger);
        if (!string.IsNullOrEmpty(options.Value.WorkQueueName))
        {
            var (items, inline) = await rebalance.FanOutAsync(workQueue, options.Value.QueuesPerWorkItem, log.Decision, log.Failure, cancellationToken);
            if (inline is null)
            {
                logger.LogInformation("Rebalance fanned out as {WorkItems} work items", items);
                return;
            }

            log.Summary(inline);
            return;
        }

        log.Summary(await rebalance.RunAsync(log.Decision, log.Failure, cancellationToken));
    }
}
