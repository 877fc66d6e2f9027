using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// The production <see cref="ArrivalForecaster"/> as the simulated day's live forecast: each completed interval's
/// count is observed (intraday updating), and the policy is shown the forecast of the coming intervals.
/// </summary>
public sealed class ArrivalForecastFeed : IIntradayForecaster
{
    private readonly ArrivalForecaster _forecaster;
    private readonly IReadOnlyList<DateTime> _starts;
    private IReadOnlyList<IntervalForecast>? _cached;
    private int _cachedFrom = -1;

    /// <summary>Wraps a forecaster (fitted on the days before) for a day whose interval starts are given.</summary>
    public ArrivalForecastFeed(ArrivalForecaster forecaster, IReadOnlyList<DateTime> intervalStarts)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(intervalStarts);
        _forecaster = forecaster;
        _starts = intervalStarts;
    }

    /// <inheritdoc />
    public void Observe(int interval, int calls)
    {
        _forecaster.Observe(_starts[interval], calls);
        _cached = null;
    }

    /// <inheritdoc />
    public (double Expected, double Upper, double RateCv) Forecast(int interval)
    {
        if (_cached is null || interval < _cachedFrom || interval >= _cachedFrom + _cached.Count)
        {
            _cachedFrom = interval;
            _cached = _forecaster.ForecastRange(_starts[interval], _starts.Count - interval);
        }

        var f = _cached[interval - _cachedFrom];
        return (f.Mean, f.Upper, f.RateCv);
    }
}
