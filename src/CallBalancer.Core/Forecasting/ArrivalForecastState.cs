namespace CallBalancer.Core.Forecasting;

/// <summary>
/// The persisted state of one queue's <see cref="ArrivalForecaster"/>: plain numbers and arrays, so that it
/// round-trips through System.Text.Json and fits a table entity (a few KB: one profile row per weekday seen). It is
/// updated in place by <see cref="ArrivalForecaster.Observe"/>; nothing else of the history is kept.
/// </summary>
public sealed class ArrivalForecastState
{
    /// <summary>Format version of this record.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Interval length in seconds (e.g. 300 for 5-minute data).</summary>
    public int IntervalSeconds { get; set; }

    /// <summary>Index from midnight of the first interval held in the arrays (07:00 on a 5-minute grid is 84).</summary>
    public int FirstSlot { get; set; }

    /// <summary>Number of intervals held per day, from <see cref="FirstSlot"/>; grows when a count arrives outside the window.</summary>
    public int SlotCount { get; set; }

    /// <summary>
    /// The level: calls per interval on an average day, before the weekday and time-of-day profile is applied.
    /// Updated once per finished day by exponential smoothing of the day's ratio of actual to forecast calls.
    /// </summary>
    public double Level { get; set; }

    /// <summary>
    /// Seasonal profile, indexed by <see cref="DayOfWeek"/> (0 = Sunday) then slot: the expected calls of that interval
    /// divided by <see cref="Level"/>. A weekday never seen has an empty row.
    /// </summary>
    public double[][] Profile { get; set; } = [[], [], [], [], [], [], []];

    /// <summary>Days observed per weekday (indexed by <see cref="DayOfWeek"/>).</summary>
    public int[] WeekdayDays { get; set; } = new int[7];

    /// <summary>
    /// Variance of a day's ratio of actual to forecast calls beyond Poisson noise (dimensionless); sets how strongly the
    /// intraday update trusts the day's first counts (gamma prior strength = 1 / this).
    /// </summary>
    public double DayRatioVariance { get; set; } = 0.01;

    /// <summary>The day being observed (its counts are in <see cref="CurrentDayCalls"/>); null before the first count.</summary>
    public DateOnly? CurrentDate { get; set; }

    /// <summary>Counts observed so far on <see cref="CurrentDate"/>, per slot; null where not (yet) observed.</summary>
    public double?[] CurrentDayCalls { get; set; } = [];

    /// <summary>Prediction-interval calibration of the day-ahead forecasts.</summary>
    public ResidualCalibration DayAhead { get; set; } = new();

    /// <summary>Prediction-interval calibration of the intraday next-interval forecasts.</summary>
    public ResidualCalibration Intraday { get; set; } = new();

    /// <summary>A deep copy (the forecaster uses it to look past the current day without changing the state).</summary>
    public ArrivalForecastState Clone() => new()
    {
        Version = Version,
        IntervalSeconds = IntervalSeconds,
        FirstSlot = FirstSlot,
        SlotCount = SlotCount,
        Level = Level,
        Profile = Profile.Select(r => (double[])r.Clone()).ToArray(),
        WeekdayDays = (int[])WeekdayDays.Clone(),
        DayRatioVariance = DayRatioVariance,
        CurrentDate = CurrentDate,
        CurrentDayCalls = (double?[])CurrentDayCalls.Clone(),
        DayAhead = DayAhead.Clone(),
        Intraday = Intraday.Clone(),
    };
}
