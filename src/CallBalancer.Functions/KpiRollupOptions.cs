using System.ComponentModel.DataAnnotations;

namespace CallBalancer.Functions;

/// <summary>
/// The nightly KPI roll-up (<c>KpiRollup</c> timer). Bound from <c>CallBalancer:KpiRollup</c>
/// (<c>CallBalancer__KpiRollup__Days</c>, <c>__MaxDaysPerRun</c>).
/// </summary>
public sealed class KpiRollupOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:KpiRollup";

    /// <summary>
    /// How many of the most recent closed days each run keeps rolled up, 1 to 3,660. Default 400 (a year's report and
    /// more). Days older than this that were never rolled up, or that a late answer made stale, are read entry by entry.
    /// </summary>
    [Range(1, 3660)]
    public int Days { get; set; } = 400;

    /// <summary>
    /// Queue-days one run may roll up, 1 to 10,000,000. Default 20,000 (a first run over a year of 50 queues); the
    /// next run continues where it stopped.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxDaysPerRun { get; set; } = 20_000;
}
