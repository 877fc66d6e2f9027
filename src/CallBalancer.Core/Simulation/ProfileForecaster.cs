namespace CallBalancer.Core.Simulation;

/// <summary>
/// TEMPORARY day-ahead and intraday forecaster used until the Forecasting engine (issue 3) is merged: the mean of
/// the most recent (up to four) earlier days of the same weekday, rescaled during the day by the ratio of observed
/// to forecast calls so far (shrunk towards 1), with an 80% interval from Poisson noise plus the day-level spread
/// of the history.
/// </summary>
public sealed class ProfileForecaster : IIntradayForecaster
{
    private const double Z90 = 1.2815515655446004;
    private readonly double[] _dayAhead;
    private readonly double _relativeSpread;
    private readonly double _shrinkCalls;
    private double _observedSoFar;
    private double _forecastSoFar;

    private ProfileForecaster(double[] dayAhead, double relativeSpread)
    {
        _dayAhead = dayAhead;
        _relativeSpread = relativeSpread;
        _shrinkCalls = Math.Max(10, 0.05 * dayAhead.Sum());
    }

    /// <summary>The day-ahead expected calls per interval of the day.</summary>
    public IReadOnlyList<double> DayAhead => _dayAhead;

    /// <summary>
    /// Builds the forecaster for <paramref name="date"/> from the series' days before it, for the intervals whose
    /// time-of-day offsets (seconds since midnight) are given.
    /// </summary>
    public static ProfileForecaster FromHistory(CountSeries series, DateOnly date, IReadOnlyList<int> intervalOffsets)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(intervalOffsets);
        var byDay = new SortedDictionary<DateOnly, Dictionary<int, int>>();
        var incomplete = new HashSet<DateOnly>();
        for (var i = 0; i < series.Starts.Count; i++)
        {
            var d = DateOnly.FromDateTime(series.Starts[i]);
            if (d >= date)
            {
                continue;
            }

            if (series.Counts[i] is not { } c)
            {
                incomplete.Add(d);
                continue;
            }

            if (!byDay.TryGetValue(d, out var map))
            {
                byDay[d] = map = [];
            }

            map[(int)series.Starts[i].TimeOfDay.TotalSeconds] = c;
        }

        var days = byDay.Keys.Where(d => !incomplete.Contains(d)).Reverse().ToList();
        var same = days.Where(d => d.DayOfWeek == date.DayOfWeek).Take(4).ToList();
        var used = same.Count >= 2 ? same : days.Take(5).ToList();
        if (used.Count == 0)
        {
            throw new InvalidOperationException($"No history before {date:yyyy-MM-dd} to forecast from.");
        }

        var profile = new double[intervalOffsets.Count];
        for (var k = 0; k < profile.Length; k++)
        {
            var sum = 0.0;
            foreach (var d in used)
            {
                sum += byDay[d].GetValueOrDefault(intervalOffsets[k]);
            }

            profile[k] = sum / used.Count;
        }

        var totals = used.Select(d => (double)byDay[d].Values.Sum()).ToList();
        var mean = totals.Average();
        var spread = totals.Count > 1 && mean > 0
            ? Math.Sqrt(totals.Sum(t => (t - mean) * (t - mean)) / (totals.Count - 1)) / mean
            : 0.1;
        return new ProfileForecaster(profile, Math.Max(0.05, spread));
    }

    /// <summary>A copy with the same day-ahead forecast and nothing observed yet, for another run of the same day.</summary>
    public ProfileForecaster Fresh() => new(_dayAhead, _relativeSpread);

    /// <inheritdoc />
    public void Observe(int interval, int calls)
    {
        _observedSoFar += calls;
        _forecastSoFar += interval < _dayAhead.Length ? _dayAhead[interval] : 0;
    }

    /// <inheritdoc />
    public (double Expected, double Upper) Forecast(int interval)
    {
        var baseline = interval < _dayAhead.Length ? _dayAhead[interval] : 0;
        var ratio = (_observedSoFar + _shrinkCalls) / (_forecastSoFar + _shrinkCalls);
        var expected = baseline * ratio;

        // The day-level spread shrinks as the day's own volume is observed.
        var observedShare = _forecastSoFar / Math.Max(1, _forecastSoFar + _shrinkCalls * 4);
        var rho = _relativeSpread * (1 - observedShare);
        var sd = Math.Sqrt(expected + rho * rho * expected * expected);
        return (expected, expected + Z90 * sd);
    }
}
