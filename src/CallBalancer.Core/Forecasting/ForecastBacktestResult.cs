namespace CallBalancer.Core.Forecasting;

/// <summary>The outcome of <see cref="ForecastBacktest"/>.</summary>
/// <param name="DayAhead">Per-interval accuracy of whole-day forecasts made at the end of the previous day present; its
/// <see cref="ForecastErrorSummary.Coverage80"/> is the per-interval coverage of the day-ahead 80% intervals.</param>
/// <param name="Next15Min">Accuracy of the total of the next 15 minutes forecast from every interval boundary with
/// intraday updating; its <see cref="ForecastErrorSummary.Coverage80"/> is the coverage of the 80% intervals of the
/// first (next) interval.</param>
/// <param name="IntervalMinutes">Interval length of the data (minutes).</param>
/// <param name="Next15MinIntervals">Intervals summed per next-15-minute target: those whose start falls within 15 minutes of the boundary.</param>
/// <param name="TestDays">Days scored.</param>
/// <param name="FirstTestDate">First scored day.</param>
/// <param name="LastTestDate">Last scored day.</param>
public sealed record ForecastBacktestResult(
    ForecastErrorSummary DayAhead,
    ForecastErrorSummary Next15Min,
    double IntervalMinutes,
    int Next15MinIntervals,
    int TestDays,
    DateOnly FirstTestDate,
    DateOnly LastTestDate);
