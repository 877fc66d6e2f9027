namespace CallBalancer.Core.Forecasting;

/// <summary>
/// Rolling-origin backtest of <see cref="ArrivalForecaster"/> on an interval series, against weekly seasonal baselines.
/// </summary>
/// <remarks>
/// Protocol. The test days are the last <c>testDays</c> days present in the series; every earlier day only trains.
/// The forecaster observes the series in time order, exactly as it would online.
/// <list type="bullet">
/// <item>Day-ahead: before a test day's first count, the whole day is forecast; each interval is scored.</item>
/// <item>Next 15 minutes: from every interval boundary b of a test day (the first interval start through the last one
/// that leaves a whole window inside the day), with the day's counts before b known, the target is the total of the
/// intervals whose start falls in [b, b + 15 min): 3 intervals of 5 minutes, and also 3 of 6 minutes (starts at +0,
/// +6, +12 min, so 18 minutes of traffic). The baselines sum the same intervals.</item>
/// <item>Seasonal naive: the same intervals on the most recent earlier day of the same weekday present in the series.
/// Mean-last-4: the mean over the (up to) four most recent earlier days of the same weekday present, of those days
/// whose counts are there.</item>
/// <item>A target is scored only when its actuals and the seasonal naive's values all exist, so every method is scored
/// on the same points. Relative errors are ours divided by the seasonal naive's.</item>
/// <item>Coverage: day-ahead, the share of scored intervals inside the day-ahead 80% intervals; next-15-minutes, the
/// share of next intervals (lead one) inside the intraday 80% intervals.</item>
/// </list>
/// </remarks>
public static class ForecastBacktest
{
    /// <summary>The window of the short-horizon target.</summary>
    public static readonly TimeSpan ShortHorizon = TimeSpan.FromMinutes(15);

    /// <summary>Runs the backtest of <see cref="ArrivalForecaster"/> with <paramref name="options"/>.</summary>
    /// <param name="series">The counts; needs at least one day before the test days.</param>
    /// <param name="testDays">Number of final days to score (at least 1).</param>
    /// <param name="options">Forecaster options; defaults when null.</param>
    public static ForecastBacktestResult Run(IntervalCountSeries series, int testDays, ArrivalForecasterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        return Run(series, testDays, () => new ArrivalForecaster(series.IntervalLength, options));
    }

    /// <summary>Intervals summed per next-15-minute target: those whose start lies within 15 minutes of the boundary.</summary>
    /// <param name="intervalLength">The series' interval length.</param>
    public static int ShortHorizonIntervals(TimeSpan intervalLength) =>
        (int)Math.Ceiling(ShortHorizon.Ticks / (double)intervalLength.Ticks);

    /// <summary>Runs the backtest of any online model (a fresh one from <paramref name="createModel"/>).</summary>
    /// <param name="series">The counts; needs at least one day before the test days.</param>
    /// <param name="testDays">Number of final days to score (at least 1).</param>
    /// <param name="createModel">Creates the empty model to train and score.</param>
    public static ForecastBacktestResult Run(IntervalCountSeries series, int testDays, Func<IArrivalForecastModel> createModel)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentOutOfRangeException.ThrowIfLessThan(testDays, 1);
        var days = series.Days;
        if (days.Count < 2)
        {
            throw new ArgumentException("The backtest needs at least two days.", nameof(series));
        }

        var testStart = Math.Max(1, days.Count - testDays);
        var k = ShortHorizonIntervals(series.IntervalLength);
        var slots = series.SlotCount;
        var model = createModel();
        var dayAhead = new ErrorAccumulator();
        var shortTerm = new ErrorAccumulator();

        for (var d = 0; d < days.Count; d++)
        {
            var day = days[d];
            if (d < testStart)
            {
                ObserveSlots(model, series, day, 0, slots);
                continue;
            }

            var sameWeekday = Enumerable.Range(0, d).Reverse().Where(e => days[e].DayOfWeek == day.DayOfWeek).Take(4).Select(e => days[e]).ToList();
            var forecast = model.ForecastDay(day.Date);
            for (var j = 0; j < slots; j++)
            {
                if (Window(day, sameWeekday, j, 1) is { } w)
                {
                    var f = forecast[j];
                    dayAhead.Add(w.Actual, f.Mean, w.Naive, w.MeanLast4, f.Covers(w.Actual));
                }
            }

            for (var b = 0; b < slots; b++)
            {
                if (b + k <= slots && Window(day, sameWeekday, b, k) is { } w)
                {
                    var next = model.ForecastRange(series.IntervalStart(day.Date, b), k);
                    var covered = next[0].Covers(day.Calls[b]);
                    shortTerm.Add(w.Actual, next.Sum(x => x.Mean), w.Naive, w.MeanLast4, covered);
                }

                ObserveSlots(model, series, day, b, b + 1);
            }
        }

        var intervalMinutes = series.IntervalLength.TotalMinutes;
        return new ForecastBacktestResult(
            dayAhead.Summary(),
            shortTerm.Summary(),
            intervalMinutes,
            k,
            days.Count - testStart,
            days[testStart].Date,
            days[^1].Date);
    }

    private static void ObserveSlots(IArrivalForecastModel model, IntervalCountSeries series, IntervalCountDay day, int from, int to)
    {
        for (var j = from; j < to; j++)
        {
            if (!double.IsNaN(day.Calls[j]))
            {
                model.Observe(series.IntervalStart(day.Date, j), day.Calls[j]);
            }
        }
    }

    /// <summary>Actual and baseline totals of slots [start, start + length), or null when any actual or naive value is missing.</summary>
    private static (double Actual, double Naive, double MeanLast4)? Window(IntervalCountDay day, List<IntervalCountDay> earlierSameWeekday, int start, int length)
    {
        if (earlierSameWeekday.Count == 0)
        {
            return null;
        }

        var actual = Sum(day, start, length);
        var naive = Sum(earlierSameWeekday[0], start, length);
        if (double.IsNaN(actual) || double.IsNaN(naive))
        {
            return null;
        }

        double total = 0;
        var n = 0;
        foreach (var earlier in earlierSameWeekday)
        {
            var s = Sum(earlier, start, length);
            if (!double.IsNaN(s))
            {
                total += s;
                n++;
            }
        }

        return (actual, naive, total / n);
    }

    private static double Sum(IntervalCountDay day, int start, int length)
    {
        double s = 0;
        for (var j = start; j < start + length; j++)
        {
            s += day.Calls[j];
        }

        return s;
    }

    private sealed class ErrorAccumulator
    {
        private double _abs, _sq, _naiveAbs, _naiveSq, _last4Abs;
        private int _n, _covered;

        public void Add(double actual, double forecast, double naive, double meanLast4, bool covered)
        {
            _abs += Math.Abs(actual - forecast);
            _sq += (actual - forecast) * (actual - forecast);
            _naiveAbs += Math.Abs(actual - naive);
            _naiveSq += (actual - naive) * (actual - naive);
            _last4Abs += Math.Abs(actual - meanLast4);
            _covered += covered ? 1 : 0;
            _n++;
        }

        public ForecastErrorSummary Summary()
        {
            if (_n == 0)
            {
                return new ForecastErrorSummary(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
            }

            var mae = _abs / _n;
            var rmse = Math.Sqrt(_sq / _n);
            var naiveMae = _naiveAbs / _n;
            var naiveRmse = Math.Sqrt(_naiveSq / _n);
            return new ForecastErrorSummary(mae, rmse, mae / naiveMae, rmse / naiveRmse, naiveMae, _last4Abs / _n, _covered / (double)_n, _n);
        }
    }
}
