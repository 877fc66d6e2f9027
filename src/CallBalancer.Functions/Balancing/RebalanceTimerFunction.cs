using CallBalancer.Core.Balancing;
using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Balancing;

/// <summary>
/// Timer <c>Rebalance</c> (CRON from the app setting <c>REBALANCE_SCHEDULE</c>, every 15 seconds by default): decides
/// every queue's modes and writes only what changed. Idempotent: a run with nothing new writes nothing but its
/// run record, so a past-due or overlapping run is harmless.
/// </summary>
internal sealed class RebalanceTimerFunction(RebalanceService rebalance, ILogger<RebalanceTimerFunction> logger)
{
    [Function("Rebalance")]
    public async Task RunAsync([TimerTrigger("%REBALANCE_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            logger.LogInformation("Rebalance is past due; running now");
        }

        var summary = await rebalance.RunAsync(LogDecision, LogFailure, cancellationToken);
        logger.LogInformation("Rebalanced {Queues} queues: {Flips} flips, {Failures} failures",
            summary.Queues, summary.Flips, summary.Failures);
    }

    private void LogDecision(ModeDecision decision)
    {
        foreach (var change in decision.Changes)
        {
            logger.LogInformation("Flipped {AgentId} in {QueueId} to {Mode} (pending {PendingMode}) by {Rule}, decision {DecisionId}",
                change.AgentId, decision.QueueId, change.Mode.ToName(), change.PendingMode?.ToName(), decision.Rule, decision.DecisionId);
        }
    }

    private void LogFailure(string queueId, Exception ex) =>
        logger.LogWarning(ex, "Rebalance of {QueueId} failed; its agents keep their modes until the next run", queueId);
}
