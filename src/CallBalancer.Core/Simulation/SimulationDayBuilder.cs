using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// Builds a <see cref="SimulationDay"/> from a count series: the day's true counts, the forecaster fitted on the days
/// before it (the production <see cref="ArrivalForecaster"/>), and the staffing plan from its day-ahead forecast.
/// </summary>
public static class SimulationDayBuilder
{
    /// <summary>
    /// The day <paramref name="date"/> of <paramref name="series"/>: true counts from the series, a forecaster and
    /// the default staffing plan (Erlang C at the target on the day-ahead forecast, maximum per two-hour block) from
    /// the days before it, unless <paramref name="staffing"/> is given.
    /// </summary>
    /// <param name="series">Counts per interval, with history before the day.</param>
    /// <param name="date">The day to simulate.</param>
    /// <param name="serviceTimes">Service-time distribution (its mean is the plan's AHT).</param>
    /// <param name="options">Target and other model parameters.</param>
    /// <param name="staffing">A plan from a file; null for the default plan.</param>
    /// <param name="stress">Optional surge applied to the true counts only (the forecast does not know it).</param>
    /// <param name="arrivalTimes">Optional per-call arrival times (seconds since midnight) replacing the uniform spread.</param>
    public static SimulationDay Build(
        IntervalCountSeries series, DateOnly date, IServiceTimeDistribution serviceTimes, SimulationOptions options,
        StaffingPlan? staffing = null, TrafficSurge? stress = null, IReadOnlyList<double>? arrivalTimes = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(serviceTimes);
        ArgumentNullException.ThrowIfNull(options);
        var index = -1;
        for (var i = 0; i < series.Days.Count; i++)
        {
            if (series.Days[i].Date == date)
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new ArgumentException($"{date:yyyy-MM-dd} is not in the arrivals file.", nameof(date));
        }

        var day = series.Days[index];
        var intervalSeconds = (int)series.IntervalLength.TotalSeconds;
        var offsets = new List<int>();
        var starts = new List<DateTime>();
        var counts = new List<int>();
        for (var j = 0; j < day.Calls.Length; j++)
        {
            if (double.IsNaN(day.Calls[j]))
            {
                throw new ArgumentException($"{date:yyyy-MM-dd} has missing counts; pick another day.", nameof(date));
            }

            var offset = (series.FirstSlot + j) * intervalSeconds;
            var c = (int)day.Calls[j];
            if (stress is not null && offset >= stress.StartSeconds && offset < stress.StartSeconds + stress.DurationSeconds)
            {
                c = (int)Math.Round(c * stress.Factor, MidpointRounding.AwayFromZero);
            }

            offsets.Add(offset);
            starts.Add(series.IntervalStart(date, j));
            counts.Add(c);
        }

        if (arrivalTimes is not null)
        {
            // Per-call times: the counts the forecaster observes are the calls of each interval.
            counts = offsets.Select(o => arrivalTimes.Count(t => t >= o && t < o + intervalSeconds)).ToList();
        }

        ArrivalForecaster? fitted = null;
        if (index > 0)
        {
            fitted = ArrivalForecaster.Fit(series.TakeDays(index));
        }

        if (fitted is null || !fitted.HasProfile)
        {
            if (staffing is null)
            {
                throw new ArgumentException($"No history before {date:yyyy-MM-dd} to forecast and plan from; give a staffing plan.", nameof(date));
            }

            fitted = null; // a new queue: the policy falls back to its real-time rule
        }

        var plan = staffing ?? StaffingPlan.FromForecast(
            fitted!.ForecastDay(date).Select(f => f.Mean).ToList(), offsets, intervalSeconds, serviceTimes.Mean,
            options.TargetServiceLevel, options.TargetSeconds);
        var state = fitted?.State.Clone();
        return new SimulationDay
        {
            Date = date,
            IntervalSeconds = intervalSeconds,
            IntervalOffsets = offsets,
            Counts = counts,
            ArrivalTimes = arrivalTimes,
            Staffing = plan,
            ServiceTimes = serviceTimes,
            Forecaster = state is null ? null : () => new ArrivalForecastFeed(new ArrivalForecaster(state.Clone()), starts),
        };
    }
}
