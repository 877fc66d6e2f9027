using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Maintenance;

/// <summary>
/// Timer <c>Retention</c> (CRON from <c>RETENTION_SCHEDULE</c>, nightly): removes what is older than the retention
/// settings (<see cref="RetentionOptions"/>). Idempotent and bounded, so a past-due run (a missed night) simply runs,
/// and a run that stops at its delete budget is continued by the next.
/// </summary>
internal sealed class RetentionTimerFunction(RetentionService retention, IOptions<RetentionOptions> options, ILogger<RetentionTimerFunction> logger)
{
    [Function("Retention")]
    public async Task RunAsync([TimerTrigger("%RETENTION_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            logger.LogInformation("Retention is past due (last scheduled {Last}); running now", timer.ScheduleStatus?.Last);
        }

        var result = await retention.RunAsync(options.Value.ToPolicy(), cancellationToken);
        logger.LogInformation(
            "Retention before {Cutoff} (offers before {OfferCutoff}): dropped {Tables} tables, removed {Snapshots} snapshots, {Calls} calls, {Offers} offers, {AgentStates} agent presences, {AgentModes} mode rows of agents who left",
            result.Cutoff, result.OfferCutoff, result.DroppedTables.Count, result.SnapshotsRemoved, result.CallsRemoved, result.OffersRemoved, result.AgentStatesRemoved, result.AgentModesRemoved);
        if (!result.Complete)
        {
            logger.LogWarning("Retention stopped at its budget of {Budget} deletes; the next run continues", options.Value.MaxDeletesPerRun);
        }
    }
}
