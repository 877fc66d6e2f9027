namespace CallBalancer.Core.Simulation;

/// <summary>
/// An arrival forecaster for one simulated day, updated as the day's counts come in (what the forecast refresh
/// timer does live). Intervals are indexed from the day's first interval.
/// </summary>
public interface IIntradayForecaster
{
    /// <summary>Records the observed count of a completed interval (intervals arrive in order).</summary>
    void Observe(int interval, int calls);

    /// <summary>The current forecast for a coming interval: expected calls and the upper bound of the 80% interval.</summary>
    (double Expected, double Upper, double RateCv) Forecast(int interval);
}
