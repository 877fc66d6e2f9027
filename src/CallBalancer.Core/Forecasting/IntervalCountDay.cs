namespace CallBalancer.Core.Forecasting;

/// <summary>
/// The arrival counts of one calendar day on the series' interval grid.
/// </summary>
/// <param name="Date">The local calendar date of the day.</param>
/// <param name="Calls">
/// Calls per interval, indexed by slot relative to <see cref="IntervalCountSeries.FirstSlot"/>; <see cref="double.NaN"/>
/// marks an interval that is missing or blank in the source (missing is not zero).
/// </param>
public sealed record IntervalCountDay(DateOnly Date, double[] Calls)
{
    /// <summary>The calendar weekday of <see cref="Date"/>.</summary>
    public DayOfWeek DayOfWeek => Date.DayOfWeek;

    /// <summary>True when at least one interval of the day has a count.</summary>
    public bool HasAnyCount => Calls.Any(c => !double.IsNaN(c));
}
