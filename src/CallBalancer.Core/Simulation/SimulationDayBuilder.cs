namespace CallBalancer.Core.Simulation;

/// <summary>Builds a <see cref="SimulationDay"/> from a count series: the day's true counts, its forecast from the days before it, and the plan.</summary>
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
        CountSeries series, DateOnly date, IServiceTimeDistribution serviceTimes, SimulationOptions options,
        StaffingPlan? staffing = null, TrafficSurge? stress = null, IReadOnlyList<double>? arrivalTimes = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(serviceTimes);
        ArgumentNullException.ThrowIfNull(options);
        var offsets = new List<int>();
        var counts = new List<int>();
        for (var i = 0; i < series.Starts.Count; i++)
        {
            if (DateOnly.FromDateTime(series.Starts[i]) != date)
            {
                continue;
            }

            var c = series.Counts[i] ?? throw new ArgumentException($"{date:yyyy-MM-dd} has missing counts; pick another day.", nameof(date));
            var offset = (int)series.Starts[i].TimeOfDay.TotalSeconds;
            if (stress is not null && offset >= stress.StartSeconds && offset < stress.StartSeconds + stress.DurationSeconds)
            {
                c = (int)Math.Round(c * stress.Factor, MidpointRounding.AwayFromZero);
            }

            offsets.Add(offset);
            counts.Add(c);
        }

        if (offsets.Count == 0)
        {
            throw new ArgumentException($"{date:yyyy-MM-dd} is not in the arrivals file.", nameof(date));
        }

        ProfileForecaster? template = null;
        try
        {
            template = ProfileForecaster.FromHistory(series, date, offsets);
        }
        catch (InvalidOperationException) when (staffing is not null)
        {
            // No history: a new queue. The policy falls back to its real-time rule.
        }

        if (template is null && staffing is null)
        {
            throw new ArgumentException($"No history before {date:yyyy-MM-dd} to forecast and plan from; give a staffing plan.", nameof(date));
        }

        var plan = staffing ?? StaffingPlan.FromForecast(
            template!.DayAhead, offsets, series.IntervalSeconds, serviceTimes.Mean, options.TargetServiceLevel, options.TargetSeconds);
        return new SimulationDay
        {
            Date = date,
            IntervalSeconds = series.IntervalSeconds,
            IntervalOffsets = offsets,
            Counts = counts,
            ArrivalTimes = arrivalTimes,
            Staffing = plan,
            ServiceTimes = serviceTimes,
            Forecaster = template is null ? null : template.Fresh,
        };
    }
}
