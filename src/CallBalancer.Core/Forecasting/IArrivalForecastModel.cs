namespace CallBalancer.Core.Forecasting;

/// <summary>
/// An online arrival model as the backtest drives it: counts are fed in time order, and forecasts are asked for a whole
/// day ahead or for the next intervals. <see cref="ArrivalForecaster"/> is the production model;
/// <see cref="DoubleSeasonalSmoothing"/> is the candidate it was chosen against.
/// </summary>
public interface IArrivalForecastModel
{
    /// <summary>Records the count of one interval (calls); null means unknown. Returns true when the count was used.</summary>
    /// <param name="intervalStart">Local wall-clock start of the interval.</param>
    /// <param name="calls">Calls that arrived in the interval, or null.</param>
    bool Observe(DateTime intervalStart, double? calls);

    /// <summary>Forecasts every interval of <paramref name="date"/> from what has been observed before it.</summary>
    /// <param name="date">The day to forecast.</param>
    IReadOnlyList<IntervalForecast> ForecastDay(DateOnly date);

    /// <summary>Forecasts <paramref name="count"/> consecutive intervals from <paramref name="from"/>, using every count observed so far.</summary>
    /// <param name="from">Start of the first interval.</param>
    /// <param name="count">Number of intervals.</param>
    IReadOnlyList<IntervalForecast> ForecastRange(DateTime from, int count);
}
