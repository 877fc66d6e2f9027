using CallBalancer.Core.Balancing;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Balancing;

/// <summary>The log lines of a rebalance, shared by the timer and the worker: each flip with its decision id.</summary>
internal sealed class RebalanceLog(ILogger logger)
{
    public void Decision(ModeDecision decision)
    {
        foreach (var change in decision.Changes)
        {
            logger.LogInformation("Flipped {AgentId} in {QueueId} to {Mode} (pending {PendingMode}) by {Rule}, decision {DecisionId}",
                change.AgentId, decision.QueueId, change.Mode.ToName(), change.PendingMode?.ToName(), decision.Rule, decision.DecisionId);
        }
    }

    public void Failure(string queueId, Exception ex) =>
        logger.LogWarning(ex, "Rebalance of {QueueId} failed; its agents keep their modes until the next run", queueId);

    public void Summary(RebalanceRunSummary summary) =>
        logger.LogInformation("Rebalanced {Queues} queues: {Flips} flips, {Failures} failures", summary.Queues, summary.Flips, summary.Failures);
}
