namespace CallBalancer.Core.Forecasting;

/// <summary>
/// The candidate the ADR compares against: multiplicative double-seasonal Holt-Winters exponential smoothing with an
/// AR(1) adjustment of the one-step residual (Taylor 2003, "Short-term electricity demand forecasting using double
/// seasonal exponential smoothing", JORS 54; applied to call arrivals in Taylor 2008, Management Science 54(2)):
/// <code>
/// l_t = alpha y_t / (d_j w_{k,j}) + (1 - alpha) l_{t-1}
/// d_j = delta y_t / (l_t w_{k,j}) + (1 - delta) d_j              (intraday cycle, per time of day j)
/// w_{k,j} = omega y_t / (l_t d_j) + (1 - omega) w_{k,j}          (intraweek cycle, per weekday k and time j)
/// yhat_{t+h} = l_t d_{j+h} w_{k,j+h} + phi^h e_t,   e_t = y_t - yhat_t
/// </code>
/// The seasonal cycles are indexed by weekday and time of day rather than by lag, so missing days and closed hours do
/// not shift them. Kept for the backtest comparison; the production model is <see cref="ArrivalForecaster"/>.
/// Its seasonal indices are dictionaries, not a persisted state.
/// </summary>
public sealed class DoubleSeasonalSmoothing : IArrivalForecastModel
{
    private const double Floor = 1e-3;
    private readonly double _alpha, _delta, _omega, _phi;
    private readonly int _intervalSeconds;
    private readonly Dictionary<int, double> _daily = [];
    private readonly Dictionary<(int Weekday, int Slot), double> _weekly = [];
    private readonly ResidualCalibration _calibration = new();
    private double _level = double.NaN;
    private double _lastResidual;
    private DateTime _lastStart = DateTime.MinValue;

    /// <summary>Creates an empty model.</summary>
    /// <param name="intervalLength">Interval length.</param>
    /// <param name="alpha">Level smoothing per interval (0..1].</param>
    /// <param name="delta">Intraday seasonal smoothing (0..1].</param>
    /// <param name="omega">Intraweek seasonal smoothing (0..1].</param>
    /// <param name="phi">AR(1) coefficient of the one-step residual carried into the next intervals.</param>
    public DoubleSeasonalSmoothing(TimeSpan intervalLength, double alpha, double delta, double omega, double phi)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(intervalLength, TimeSpan.Zero);
        Smoothing(alpha, nameof(alpha));
        Smoothing(delta, nameof(delta));
        Smoothing(omega, nameof(omega));
        if (!(phi > -1 && phi < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(phi), phi, "phi must lie strictly between -1 and 1.");
        }

        _intervalSeconds = (int)intervalLength.TotalSeconds;
        (_alpha, _delta, _omega, _phi) = (alpha, delta, omega, phi);
    }

    private static void Smoothing(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in (0, 1].");
        }
    }

    /// <inheritdoc/>
    public bool Observe(DateTime intervalStart, double? calls)
    {
        if (calls is not { } y || intervalStart <= _lastStart)
        {
            return false;
        }

        var j = Slot(intervalStart);
        var k = (int)intervalStart.DayOfWeek;
        if (double.IsNaN(_level))
        {
            _level = Math.Max(y, 1);
        }

        if (!_daily.TryGetValue(j, out var d))
        {
            d = Math.Max(y / _level, Floor);
            _daily[j] = d;
        }

        if (!_weekly.TryGetValue((k, j), out var w))
        {
            w = Math.Max(y / (_level * d), Floor);
            _weekly[(k, j)] = w;
        }

        var forecast = _level * d * w + (IsNext(intervalStart) ? _phi * _lastResidual : 0);
        Calibrate(y, Math.Max(forecast, 0));
        _lastResidual = y - _level * d * w;

        var level = _alpha * y / (d * w) + (1 - _alpha) * _level;
        _daily[j] = Math.Max(Floor, _delta * y / (level * w) + (1 - _delta) * d);
        _weekly[(k, j)] = Math.Max(Floor, _omega * y / (level * d) + (1 - _omega) * w);
        _level = Math.Max(level, Floor);
        _lastStart = intervalStart;
        return true;
    }

    /// <inheritdoc/>
    public IReadOnlyList<IntervalForecast> ForecastDay(DateOnly date)
    {
        var slots = _daily.Keys.Order().ToList();
        return slots.Select(j => Forecast(date.ToDateTime(TimeOnly.MinValue).AddSeconds((double)j * _intervalSeconds), 0)).ToList();
    }

    /// <inheritdoc/>
    public IReadOnlyList<IntervalForecast> ForecastRange(DateTime from, int count) =>
        Enumerable.Range(0, count).Select(i => Forecast(from.AddSeconds((double)i * _intervalSeconds), i + 1)).ToList();

    private IntervalForecast Forecast(DateTime start, int lead)
    {
        var j = Slot(start);
        var k = (int)start.DayOfWeek;
        var d = _daily.GetValueOrDefault(j, 0);
        var w = _weekly.TryGetValue((k, j), out var v) ? v : 1;
        var carry = lead > 0 && start - _lastStart <= TimeSpan.FromSeconds((double)lead * _intervalSeconds) ? Math.Pow(_phi, lead) * _lastResidual : 0;
        var mean = Math.Max(0, (double.IsNaN(_level) ? 0 : _level) * d * w + carry);
        var sd = _calibration.StandardDeviation(mean);
        return new IntervalForecast(start, mean, Math.Max(0, mean + _calibration.LowerQuantile * sd), Math.Max(0, mean + _calibration.UpperQuantile * sd));
    }

    private bool IsNext(DateTime start) => start - _lastStart == TimeSpan.FromSeconds(_intervalSeconds);

    private int Slot(DateTime start) => (int)(start.TimeOfDay.TotalSeconds / _intervalSeconds);

    private void Calibrate(double y, double mean)
    {
        if (!(mean > 0))
        {
            return;
        }

        const double a = 0.005, step = 0.01, tail = 0.1;
        var sd = _calibration.StandardDeviation(mean);
        _calibration.ExcessVarianceSum = (1 - a) * _calibration.ExcessVarianceSum + a * ((y - mean) * (y - mean) - mean);
        _calibration.SquaredMeanSum = (1 - a) * _calibration.SquaredMeanSum + a * mean * mean;
        _calibration.LowerQuantile -= step * ((y < Math.Max(0, mean + _calibration.LowerQuantile * sd) ? 1 : 0) - tail);
        _calibration.UpperQuantile += step * ((y > mean + _calibration.UpperQuantile * sd ? 1 : 0) - tail);
        _calibration.Count++;
    }
}
