using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Maintenance;

/// <summary>
/// Timer <c>Retention</c> (CRON from <c>RETENTION_SCHEDULE</c>, nightly): removes decisions and snapshots older than
/// <c>CallBalancer__Retention__Days</c>. Idempotent, so a past-due or repeated run is harmless.
/// </summary>
internal sealed class RetentionTimerFunction(RetentionService retention, IOptions<RetentionOptions> options, ILogger<RetentionTimerFunction> logger)
{
    [Function("Retention")]
    public async Task RunAsync([TimerTrigger("%RETENTION_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await retention.RunAsync(TimeSpan.FromDays(options.Value.Days), cancellationToken);
        logger.LogInformation("Retention before {Cutoff}: dropped {Tables} decision tables, removed {Snapshots} snapshots",
            result.Cutoff, result.DroppedTables.Count, result.SnapshotsRemoved);
    }
}
