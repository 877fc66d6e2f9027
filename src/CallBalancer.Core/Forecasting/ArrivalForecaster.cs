namespace CallBalancer.Core.Forecasting;

/// <summary>
/// Online arrival forecaster of one queue: a weekday x time-of-day profile times an exponentially smoothed level
/// (multiplicative Holt-Winters in its day-level form), with the weekday shapes shrunk towards their common shape,
/// intraday updating of the rest of the current day from its observed counts (a gamma-Poisson ratio, in the spirit of
/// Shen &amp; Huang 2008 and Weinberg, Brown &amp; Stroud 2007), and calibrated overdispersed-Poisson prediction intervals.
/// </summary>
/// <remarks>
/// Feed every interval's count to <see cref="Observe"/> in time order (out of order within the current day is fine);
/// persist <see cref="State"/> between timer runs. No history is refitted: each finished day updates the level and its
/// weekday's profile once. Two weeks of history give every weekday its first profile; until a weekday has been seen
/// its forecast is the mean profile of the weekdays seen. Not thread-safe.
/// </remarks>
public sealed class ArrivalForecaster : IArrivalForecastModel
{
    private readonly ArrivalForecasterOptions _options;
    private readonly double _lowerTail;
    private DateOnly? _cachedDate;
    private double[]? _cachedMeans;

    /// <summary>Starts an empty forecaster for intervals of <paramref name="intervalLength"/>.</summary>
    /// <param name="intervalLength">Interval length; must divide a day.</param>
    /// <param name="options">Tuning constants; <see cref="ArrivalForecasterOptions.Default"/> when null.</param>
    public ArrivalForecaster(TimeSpan intervalLength, ArrivalForecasterOptions? options = null)
        : this(NewState(intervalLength), options)
    {
    }

    /// <summary>Resumes a forecaster from a persisted state (which it then updates in place).</summary>
    /// <param name="state">State from <see cref="State"/> of an earlier run.</param>
    /// <param name="options">Tuning constants; <see cref="ArrivalForecasterOptions.Default"/> when null.</param>
    public ArrivalForecaster(ArrivalForecastState state, ArrivalForecasterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        _options = options ?? ArrivalForecasterOptions.Default;
        _options.Validate();
        if (state.IntervalSeconds <= 0 || 86_400 % state.IntervalSeconds != 0)
        {
            throw new ArgumentException("The state's interval length must divide a day.", nameof(state));
        }

        if (state.Profile.Length != 7 || state.WeekdayDays.Length != 7 || state.CurrentDayCalls.Length != state.SlotCount
            || state.Profile.Any(r => r.Length != 0 && r.Length != state.SlotCount))
        {
            throw new ArgumentException("The state's arrays do not match its slot window.", nameof(state));
        }

        State = state;
        _lowerTail = (1 - _options.Coverage) / 2;
        var z = NormalDistribution.Quantile(1 - _lowerTail);
        foreach (var calibration in new[] { state.DayAhead, state.Intraday })
        {
            if (calibration.Count == 0)
            {
                calibration.LowerQuantile = -z;
                calibration.UpperQuantile = z;
            }
        }
    }

    /// <summary>The state to persist; updated in place by <see cref="Observe"/>.</summary>
    public ArrivalForecastState State { get; }

    /// <summary>Interval length.</summary>
    public TimeSpan IntervalLength => TimeSpan.FromSeconds(State.IntervalSeconds);

    /// <summary>True once at least one day has been completed (forecasts before that are zero).</summary>
    public bool HasProfile => State.WeekdayDays.Any(d => d > 0);

    /// <summary>Builds a forecaster by observing a whole history in order (the same updates as online use).</summary>
    /// <param name="history">Counts per interval; blank counts are skipped.</param>
    /// <param name="options">Tuning constants.</param>
    public static ArrivalForecaster Fit(IntervalCountSeries history, ArrivalForecasterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var forecaster = new ArrivalForecaster(history.IntervalLength, options);
        foreach (var day in history.Days)
        {
            for (var j = 0; j < day.Calls.Length; j++)
            {
                if (!double.IsNaN(day.Calls[j]))
                {
                    forecaster.Observe(history.IntervalStart(day.Date, j), day.Calls[j]);
                }
            }
        }

        return forecaster;
    }

    /// <summary>
    /// Records the count of one interval. A count for a later day closes the current day first (updating the level, the
    /// profile and the intraday prior); a count for a day already closed is ignored.
    /// </summary>
    /// <param name="intervalStart">Local wall-clock start of the interval; must lie on the interval grid.</param>
    /// <param name="calls">Calls that arrived in the interval; null (blank) means unknown and is ignored. Observing the
    /// same interval again replaces its count (idempotent for retried runs).</param>
    /// <returns>True when the count was used.</returns>
    public bool Observe(DateTime intervalStart, double? calls)
    {
        if (calls is not { } y)
        {
            return false;
        }

        if (!(y >= 0) || !double.IsFinite(y))
        {
            throw new ArgumentOutOfRangeException(nameof(calls), calls, "A count must be a finite non-negative number.");
        }

        var date = DateOnly.FromDateTime(intervalStart);
        if (State.CurrentDate is { } current && date < current)
        {
            return false;
        }

        var slot = SlotOf(intervalStart);
        EnsureWindow(slot);
        if (State.CurrentDate is { } open && date > open)
        {
            CloseDay(State);
            _cachedDate = null;
        }

        if (State.CurrentDate is null)
        {
            State.CurrentDate = date;
            Array.Fill(State.CurrentDayCalls, null);
        }

        var j = slot - State.FirstSlot;

        // A repeated count for an interval (a retried timer run) replaces the earlier one and is not scored twice.
        if (HasProfile && State.CurrentDayCalls[j] is null)
        {
            var means = DayAheadMeans(date);
            UpdateCalibration(State.DayAhead, y, means[j]);
            var ratio = IntradayRatio(means, j, out _);
            UpdateCalibration(State.Intraday, y, means[j] * ratio);
        }

        State.CurrentDayCalls[j] = y;
        return true;
    }

    /// <summary>
    /// The day-ahead forecast of every interval of <paramref name="date"/> in the state's window, from the days closed
    /// before it (no intraday updating): what to plan the day with, the evening before.
    /// </summary>
    /// <param name="date">A day on or after the current day.</param>
    public IReadOnlyList<IntervalForecast> ForecastDay(DateOnly date)
    {
        var start = date.ToDateTime(TimeOnly.MinValue) + IntervalLength * State.FirstSlot;
        var state = StateFor(date);
        var means = state == State ? DayAheadMeans(date) : ComputeMeans(state, date);
        var result = new IntervalForecast[means.Length];
        for (var j = 0; j < means.Length; j++)
        {
            result[j] = Band(start + IntervalLength * j, means[j], state.DayAhead);
        }

        return result;
    }

    /// <summary>
    /// Forecasts <paramref name="count"/> consecutive intervals from <paramref name="from"/>, using everything observed
    /// so far: intervals of the current day are rescaled by the day's observed counts (intraday updating), later days
    /// get their day-ahead forecast. This is what a rebalancing timer asks for ("the next k intervals"). Intervals
    /// outside the time-of-day window ever observed (closed hours) are forecast as 0.
    /// </summary>
    /// <param name="from">Start of the first interval to forecast (on the interval grid), normally the next interval.</param>
    /// <param name="count">Number of intervals (at least 0).</param>
    public IReadOnlyList<IntervalForecast> ForecastRange(DateTime from, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new IntervalForecast[count];
        var firstSlot = SlotOf(from);
        var laterDays = new Dictionary<DateOnly, (ArrivalForecastState State, double[] Means)>();
        for (var i = 0; i < count; i++)
        {
            var start = from + IntervalLength * i;
            var date = DateOnly.FromDateTime(start);
            var j = SlotOf(start) - State.FirstSlot;
            if (j < 0 || j >= State.SlotCount)
            {
                result[i] = new IntervalForecast(start, 0, 0, 0);
                continue;
            }

            if (State.CurrentDate == date)
            {
                var means = DayAheadMeans(date);
                var boundary = Math.Clamp(DateOnly.FromDateTime(from) == date ? firstSlot - State.FirstSlot : 0, 0, State.SlotCount);
                var ratio = IntradayRatio(means, boundary, out var lastResidual);
                var lead = j - boundary + 1;
                var carry = lead >= 1 ? Math.Pow(_options.ResidualAutocorrelation, lead) * lastResidual : 0;
                result[i] = Band(start, Math.Max(0, means[j] * ratio * (1 + carry)), State.Intraday);
            }
            else
            {
                if (!laterDays.TryGetValue(date, out var day))
                {
                    var state = StateFor(date);
                    day = (state, ComputeMeans(state, date));
                    laterDays[date] = day;
                }

                result[i] = Band(start, day.Means[j], day.State.DayAhead);
            }
        }

        return result;
    }

    private static ArrivalForecastState NewState(TimeSpan intervalLength)
    {
        if (intervalLength <= TimeSpan.Zero || TimeSpan.TicksPerDay % intervalLength.Ticks != 0 || intervalLength.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(intervalLength), intervalLength, "The interval length must be whole seconds and divide a day.");
        }

        return new ArrivalForecastState { IntervalSeconds = (int)intervalLength.TotalSeconds };
    }

    private int SlotOf(DateTime start)
    {
        var ticks = start.TimeOfDay.Ticks;
        var intervalTicks = TimeSpan.TicksPerSecond * State.IntervalSeconds;
        if (ticks % intervalTicks != 0)
        {
            throw new ArgumentException($"{start:O} is not on the {State.IntervalSeconds}-second interval grid.", nameof(start));
        }

        return (int)(ticks / intervalTicks);
    }

    private void EnsureWindow(int slot)
    {
        var s = State;
        if (s.SlotCount > 0 && slot >= s.FirstSlot && slot < s.FirstSlot + s.SlotCount)
        {
            return;
        }

        var first = s.SlotCount == 0 ? slot : Math.Min(s.FirstSlot, slot);
        var end = s.SlotCount == 0 ? slot + 1 : Math.Max(s.FirstSlot + s.SlotCount, slot + 1);
        var shift = s.SlotCount == 0 ? 0 : s.FirstSlot - first;
        var count = end - first;
        for (var w = 0; w < 7; w++)
        {
            if (s.Profile[w].Length > 0)
            {
                var row = new double[count];
                Array.Copy(s.Profile[w], 0, row, shift, s.SlotCount);
                s.Profile[w] = row;
            }
        }

        var calls = new double?[count];
        Array.Copy(s.CurrentDayCalls, 0, calls, shift, s.SlotCount);
        s.CurrentDayCalls = calls;
        s.FirstSlot = first;
        s.SlotCount = count;
        _cachedDate = null;
    }

    private ArrivalForecastState StateFor(DateOnly date)
    {
        if (State.CurrentDate is not { } current || date <= current)
        {
            return State;
        }

        // The forecast of a later day must include the current day as if it were closed, without closing it.
        var copy = State.Clone();
        CloseDay(copy);
        return copy;
    }

    private double[] DayAheadMeans(DateOnly date)
    {
        if (_cachedDate == date && _cachedMeans is { } cached && cached.Length == State.SlotCount)
        {
            return cached;
        }

        _cachedMeans = ComputeMeans(State, date);
        _cachedDate = date;
        return _cachedMeans;
    }

    /// <summary>Expected calls per slot of <paramref name="date"/>: level x (shrunk, smoothed) weekday profile.</summary>
    private double[] ComputeMeans(ArrivalForecastState s, DateOnly date)
    {
        var factors = ProfileFor(s, date.DayOfWeek);
        for (var j = 0; j < factors.Length; j++)
        {
            factors[j] *= s.Level;
        }

        return factors;
    }

    private double[] ProfileFor(ArrivalForecastState s, DayOfWeek dayOfWeek)
    {
        var n = s.SlotCount;
        var seen = Enumerable.Range(0, 7).Where(w => s.WeekdayDays[w] > 0 && s.Profile[w].Length == n).ToList();
        var result = new double[n];
        if (seen.Count == 0)
        {
            return result;
        }

        // Mean shape over the weekdays seen: each weekday's profile divided by its daily total, so that a quiet
        // weekday does not pull the shape of a busy one (Weinberg et al. 2007 model the shape and the total apart).
        var meanShape = new double[n];
        var meanTotal = 0.0;
        foreach (var w in seen)
        {
            var total = s.Profile[w].Sum();
            meanTotal += total / seen.Count;
            if (total > 0)
            {
                for (var j = 0; j < n; j++)
                {
                    meanShape[j] += s.Profile[w][j] / total / seen.Count;
                }
            }
        }

        var d = (int)dayOfWeek;
        if (s.WeekdayDays[d] == 0 || s.Profile[d].Length != n)
        {
            for (var j = 0; j < n; j++)
            {
                result[j] = meanShape[j] * meanTotal;
            }
        }
        else
        {
            var own = s.Profile[d];
            var total = own.Sum();
            var g = _options.WeekdayShrinkage;
            for (var j = 0; j < n; j++)
            {
                result[j] = (1 - g) * own[j] + g * meanShape[j] * total;
            }
        }

        // The weight is per interval of up to 6 minutes; a longer interval gets proportionally less, so the smoothing
        // spans the same stretch of the day (a longer interval's count also carries less Poisson noise). At 0.3 per
        // hourly interval a closing hour took 30% of the next, nearly empty one: the hourly 2003 series forecast worse
        // than the seasonal naive (docs/benchmarks/forecasting.md, "Longer intervals").
        return SmoothAlongDay(result, _options.TimeOfDaySmoothing * Math.Min(1, ReferenceIntervalSeconds / State.IntervalSeconds));
    }

    /// <summary>
    /// The interval length the per-interval constants (<see cref="ArrivalForecasterOptions.TimeOfDaySmoothing"/>,
    /// <see cref="ArrivalForecasterOptions.IntradayDecay"/>) are given for (seconds): they were tuned on 5- and 6-minute
    /// data, and a longer interval gets the same effect per stretch of the day.
    /// </summary>
    private const double ReferenceIntervalSeconds = 360;

    private static double[] SmoothAlongDay(double[] values, double neighbourWeight)
    {
        if (neighbourWeight <= 0 || values.Length < 3)
        {
            return values;
        }

        var result = new double[values.Length];
        for (var j = 0; j < values.Length; j++)
        {
            var left = j > 0 ? values[j - 1] : values[j];
            var right = j < values.Length - 1 ? values[j + 1] : values[j];
            result[j] = (1 - 2 * neighbourWeight) * values[j] + neighbourWeight * (left + right);
        }

        return result;
    }

    /// <summary>
    /// The ratio that rescales the rest of the current day: a gamma-Poisson posterior mean
    /// (a + sum w_i y_i) / (a + sum w_i m_i) over the slots observed before <paramref name="boundary"/>, with weights
    /// decaying geometrically into the past and prior strength a = 1 / (variance of day ratios), so early in the day the
    /// day-ahead forecast dominates and the observed volume takes over as it accumulates.
    /// </summary>
    private double IntradayRatio(double[] means, int boundary, out double lastResidual)
    {
        lastResidual = 0;
        var calls = State.CurrentDayCalls;
        double sumY = 0, sumM = 0, weight = 1;
        var lastSeen = false;

        // The decay is per 6 minutes of the day: an hourly interval's weight falls as ten 6-minute ones would, so the
        // ratio follows the same recent stretch of the day whatever the interval (measured: docs/benchmarks/forecasting.md).
        var decay = Math.Pow(_options.IntradayDecay, Math.Max(1, State.IntervalSeconds / ReferenceIntervalSeconds));
        for (var i = boundary - 1; i >= 0 && weight > 1e-6; i--)
        {
            if (calls[i] is { } y)
            {
                sumY += weight * y;
                sumM += weight * means[i];
            }

            weight *= decay;
        }

        var prior = _options.IntradayPriorScale / Math.Max(State.DayRatioVariance, 1e-4);
        var ratio = (prior + sumY) / (prior + sumM);
        if (boundary >= 1 && calls[boundary - 1] is { } last && means[boundary - 1] * ratio > 0)
        {
            lastSeen = true;
            lastResidual = Math.Clamp(last / (means[boundary - 1] * ratio) - 1, -0.5, 1.0);
        }

        if (!lastSeen)
        {
            lastResidual = 0;
        }

        return ratio;
    }

    private IntervalForecast Band(DateTime start, double mean, ResidualCalibration calibration)
    {
        // The tracked quantiles may both drift to one side of zero when the model is biased for a while; the interval
        // still always contains the mean, and counts are never negative.
        var sd = calibration.StandardDeviation(mean);
        return new IntervalForecast(
            start,
            mean,
            Math.Max(0, Math.Min(mean, mean + calibration.LowerQuantile * sd)),
            Math.Max(mean, mean + calibration.UpperQuantile * sd))
        {
            // The calibration's variance is mean + dispersion·mean²: the second term is the rate's own uncertainty.
            RateCv = Math.Sqrt(calibration.Dispersion),
        };
    }

    private void UpdateCalibration(ResidualCalibration c, double y, double mean)
    {
        if (!(mean > 0))
        {
            return;
        }

        var a = _options.VarianceSmoothing;
        var residual = y - mean;
        var sd = c.StandardDeviation(mean);
        c.ExcessVarianceSum = (1 - a) * c.ExcessVarianceSum + a * (residual * residual - mean);
        c.SquaredMeanSum = (1 - a) * c.SquaredMeanSum + a * mean * mean;

        // Robbins-Monro quantile tracking: each bound moves until the share of counts beyond it is the nominal tail.
        // Compared on the count scale (y beyond the bound) so that discrete low counts are calibrated as reported.
        var step = _options.QuantileStep;
        var lower = Math.Max(0, mean + c.LowerQuantile * sd);
        var upper = mean + c.UpperQuantile * sd;
        c.LowerQuantile -= step * ((y < lower ? 1 : 0) - _lowerTail);
        c.UpperQuantile += step * ((y > upper ? 1 : 0) - _lowerTail);
        c.Count++;
    }

    /// <summary>Closes the current day: updates level, weekday profile and the day-ratio variance from its counts.</summary>
    private void CloseDay(ArrivalForecastState s)
    {
        if (s.CurrentDate is not { } date)
        {
            return;
        }

        var w = (int)date.DayOfWeek;
        var n = s.SlotCount;
        var calls = s.CurrentDayCalls;
        var observed = calls.Count(c => c.HasValue);

        // A day without a single call (a holiday, a closed day) says nothing about the level or the weekday's shape:
        // learnt, it would set the weekday's profile to zeros, and a zero forecast never learns again (the day ratio
        // and the intraday update both divide or multiply by it), so that weekday would cross-sell on "0 calls" for ever.
        if (observed > 0 && calls.Sum(c => c ?? 0) > 0)
        {
            if (!s.WeekdayDays.Any(d => d > 0))
            {
                // The very first day sets the level (mean calls per interval) and its weekday's profile.
                var mean = calls.Sum(c => c ?? 0) / observed;
                s.Level = mean > 0 ? mean : 1;
                s.Profile[w] = calls.Select(c => (c ?? mean) / s.Level).ToArray();
                s.WeekdayDays[w] = 1;
            }
            else
            {
                var forecast = ComputeMeans(s, date);
                double sumY = 0, sumM = 0;
                for (var j = 0; j < n; j++)
                {
                    if (calls[j] is { } y)
                    {
                        sumY += y;
                        sumM += forecast[j];
                    }
                }

                if (s.WeekdayDays[w] == 0 || s.Profile[w].Length != n || sumM <= 0)
                {
                    // (Also a weekday forecast at no calls, as a state saved before empty days were skipped could
                    // hold, that had calls: seeded again, as a first day.)
                    // First day of this weekday: its total is not a level signal (a Friday is not a slow Monday), so it
                    // only seeds the weekday's profile; missing slots borrow the forecast.
                    s.Profile[w] = new double[n];
                    for (var j = 0; j < n; j++)
                    {
                        s.Profile[w][j] = (calls[j] ?? forecast[j]) / s.Level;
                    }

                    s.WeekdayDays[w] = 1;
                }
                else if (sumM > 0)
                {
                    var ratio = sumY / sumM;
                    var limit = _options.OutlierRatioLimit;
                    var clipped = Math.Clamp(ratio, 1 / limit, limit);

                    // Variance of the day ratio beyond Poisson noise (1 / expected calls), the intraday prior.
                    var excess = (clipped - 1) * (clipped - 1) - 1 / sumM;
                    s.DayRatioVariance = Math.Max(1e-4, s.DayRatioVariance + (_options.LevelSmoothing / 4) * (excess - s.DayRatioVariance));

                    // Multiplicative Holt-Winters at day level: the level takes alpha of the day's deviation, and the
                    // profile learns the day's counts relative to the new level (clipped days keep their shape).
                    var newLevel = s.Level * (1 + _options.LevelSmoothing * (clipped - 1));
                    var scale = ratio > 0 ? clipped / ratio : 1;
                    // The weekday's daily total and its time-of-day shape are smoothed apart: the total moves
                    // with the weekly pattern, the shape is noisier per interval and wants a longer memory.
                    var row = s.Profile[w];
                    var target = new double[n];
                    for (var j = 0; j < n; j++)
                    {
                        target[j] = calls[j] is { } y ? (ratio > 0 ? y * scale / newLevel : forecast[j] / s.Level / limit) : row[j];
                    }

                    var oldTotal = row.Sum();
                    var targetTotal = target.Sum();
                    var days = s.WeekdayDays[w] + 1;
                    var shapeAlpha = Math.Max(_options.ProfileSmoothing, 1.0 / days);
                    var totalAlpha = Math.Max(_options.WeekdayTotalSmoothing, 1.0 / days);
                    var newTotal = oldTotal + totalAlpha * (targetTotal - oldTotal);
                    if (oldTotal > 0 && targetTotal > 0)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            var shape = row[j] / oldTotal + shapeAlpha * (target[j] / targetTotal - row[j] / oldTotal);
                            row[j] = RoundSignificant(shape * newTotal);
                        }
                    }
                    else
                    {
                        for (var j = 0; j < n; j++)
                        {
                            row[j] = RoundSignificant(row[j] + shapeAlpha * (target[j] - row[j]));
                        }
                    }

                    s.Level = RoundSignificant(newLevel);
                    s.WeekdayDays[w]++;
                }
            }
        }

        s.CurrentDate = null;
        Array.Fill(s.CurrentDayCalls, null);
    }

    /// <summary>Rounds to 6 significant digits so the persisted JSON stays a few KB; far below the Poisson noise.</summary>
    private static double RoundSignificant(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value;
        }

        var digits = 5 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return digits is >= 0 and <= 15 ? Math.Round(value, digits) : value;
    }
}
