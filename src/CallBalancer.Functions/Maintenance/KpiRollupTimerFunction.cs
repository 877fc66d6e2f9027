using CallBalancer.Storage.Kpi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Maintenance;

/// <summary>
/// Timer <c>KpiRollup</c> (CRON from <c>KPI_ROLLUP_SCHEDULE</c>, nightly): sums each queue's closed days of the KPI
/// ledger into one row per day (<see cref="KpiRollupService"/>), so that a month's or a year's queue report reads a row
/// per day instead of every answer. Idempotent and bounded; reports are exact with or without it.
/// </summary>
internal sealed class KpiRollupTimerFunction(KpiRollupService rollups, IOptions<KpiRollupOptions> options, ILogger<KpiRollupTimerFunction> logger)
{
    [Function("KpiRollup")]
    public async Task RunAsync([TimerTrigger("%KPI_ROLLUP_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var o = options.Value;
        var result = await rollups.RunAsync(o.Days, o.MaxDaysPerRun, cancellationToken);
        logger.LogInformation(
            "KPI roll-up of {First:yyyy-MM-dd}..{Last:yyyy-MM-dd}: {Queues} queues, {Rolled} queue-days rolled up from {Entries} entries, {Lost} marked stale meanwhile",
            result.FirstDay, result.LastDay, result.Queues, result.DaysRolledUp, result.EntriesRead, result.DaysLost);
        if (!result.Complete)
        {
            logger.LogWarning("KPI roll-up stopped at its budget of {Budget} queue-days; the next run continues", o.MaxDaysPerRun);
        }
    }
}
