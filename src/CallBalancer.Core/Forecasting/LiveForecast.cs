using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Forecasting;

/// <summary>
/// The live use of <see cref="ArrivalForecaster"/>: feeding it the completed intervals the telephony events produced
/// (UTC instants, converted to the centre's wall clock, since the forecaster's days and profiles are local), and
/// turning its next intervals into the <see cref="ForecastInterval"/>s the balancing policy reads.
/// </summary>
public static class LiveForecast
{
    /// <summary>
    /// Observes every interval that has ended by <paramref name="now"/>, in time order. Intervals already observed are
    /// observed again harmlessly (the forecaster replaces a repeated count), so a retried run changes nothing. A
    /// forecaster that has observed nothing yet starts at the first interval with calls.
    /// </summary>
    /// <param name="forecaster">The queue's forecaster (its state is updated in place).</param>
    /// <param name="intervals">Interval starts (UTC instants) and their arrivals (calls).</param>
    /// <param name="now">The current time.</param>
    /// <param name="zone">The centre's time zone.</param>
    /// <returns>For each interval newer than anything observed before: its forecast mean and its actual count (calls), for error tracking.</returns>
    public static IReadOnlyList<(DateTimeOffset Start, double Forecast, double Actual)> ObserveCompleted(
        ArrivalForecaster forecaster, IEnumerable<(DateTimeOffset Start, double Calls)> intervals, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(zone);
        var lastSeen = LastObserved(forecaster);
        var scored = new List<(DateTimeOffset, double, double)>();
        var beforeFirstCall = lastSeen is null;
        foreach (var (start, calls) in intervals.OrderBy(i => i.Start))
        {
            if (start + forecaster.IntervalLength > now)
            {
                continue;
            }

            // A forecaster that has seen nothing starts at the queue's first call: the empty intervals before it are
            // not history (the queue was not live yet), and taught as zeros they would forecast an empty morning, or,
            // west of UTC, close a whole empty local day in the queue's first hour and let the forecast take over.
            if (beforeFirstCall && calls <= 0)
            {
                continue;
            }

            beforeFirstCall = false;

            var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
            if (forecaster.HasProfile && (lastSeen is null || local > lastSeen))
            {
                scored.Add((start, forecaster.ForecastRange(local, 1)[0].Mean, calls));
            }

            forecaster.Observe(local, calls);
        }

        return scored;
    }

    /// <summary>
    /// The forecast of the interval containing <paramref name="now"/> and the following ones to the end of the local
    /// day, and at least up to <paramref name="horizon"/>, as the policy reads it (expected calls, the 80% upper bound
    /// and the rate's uncertainty per interval); null while the forecaster has no history (the policy then uses its
    /// real-time rule). The rest of the day is given because the policy's "no half-hour sacrificed" floor is the
    /// weakest interval of the forecast it sees: the simulator shows it the same. The local times a spring-forward skips
    /// have no interval (they were given the standard offset, so two intervals started at once).
    /// </summary>
    public static IReadOnlyList<ForecastInterval>? Upcoming(ArrivalForecaster forecaster, DateTimeOffset now, TimeZoneInfo zone, TimeSpan horizon)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(zone);
        if (!forecaster.HasProfile)
        {
            return null;
        }

        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var length = forecaster.IntervalLength;
        var sinceMidnight = localNow.TimeOfDay.Ticks / length.Ticks * length.Ticks;
        var first = localNow.DateTime.Date + TimeSpan.FromTicks(sinceMidnight);
        var untilMidnight = localNow.DateTime.Date.AddDays(1) - first;
        var count = Math.Max(1, (int)Math.Ceiling((horizon > untilMidnight ? horizon : untilMidnight) / length) + 1);
        DateTimeOffset? learnedThrough = LastObserved(forecaster) is { } last
            ? new DateTimeOffset(last + length, zone.GetUtcOffset(last + length))
            : null;
        return forecaster.ForecastRange(first, count)
            .Where(f => !zone.IsInvalidTime(f.IntervalStart)) // the hour a spring-forward skips: no such local time
            .Select(f => new ForecastInterval(
                new DateTimeOffset(f.IntervalStart, OffsetOf(f.IntervalStart, zone, localNow)),
                length.TotalSeconds,
                f.Mean,
                f.Upper)
            {
                RateCv = f.RateCv,
                LearnedThrough = learnedThrough,
            })
            .ToList();
    }

    /// <summary>
    /// The UTC offset of a forecast interval's local start. A local time of the repeated hour of a fall-back is ambiguous,
    /// and <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> gives its second pass: during the first pass the interval
    /// holding now then started an hour later than now, and the policy found no forecast for now. The forecaster has one
    /// slot per local time, so the hour is read as the pass now is in, or the first pass when it is still ahead.
    /// </summary>
    private static TimeSpan OffsetOf(DateTime localStart, TimeZoneInfo zone, DateTimeOffset localNow)
    {
        if (!zone.IsAmbiguousTime(localStart))
        {
            return zone.GetUtcOffset(localStart);
        }

        var offsets = zone.GetAmbiguousTimeOffsets(localStart);
        return zone.IsAmbiguousTime(localNow) && offsets.Contains(localNow.Offset) ? localNow.Offset : offsets.Max();
    }

    /// <summary>
    /// True when every UTC offset <paramref name="zone"/> uses from <paramref name="asOf"/> on (standard and daylight,
    /// in every adjustment rule still in force) is a whole number of <paramref name="length"/>: the forecaster's local
    /// intervals must land on the UTC grid the telephony intervals are counted on (hourly intervals in India, at
    /// +05:30, never do). Rules that ended before <paramref name="asOf"/> (local mean time of the 1800s) do not count.
    /// </summary>
    public static bool ZoneFitsGrid(TimeZoneInfo zone, TimeSpan length, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var offsets = new List<TimeSpan> { zone.GetUtcOffset(asOf) };
        foreach (var rule in zone.GetAdjustmentRules().Where(r => r.DateEnd >= asOf.Date))
        {
            offsets.Add(zone.BaseUtcOffset + rule.BaseUtcOffsetDelta);
            offsets.Add(zone.BaseUtcOffset + rule.BaseUtcOffsetDelta + rule.DaylightDelta);
        }

        return offsets.All(o => o.Ticks % length.Ticks == 0);
    }

    /// <summary>
    /// The start (local wall-clock time of the centre) of the newest interval the forecaster has observed, or null when it
    /// has observed none: intervals after it are the ones <see cref="ObserveCompleted"/> will treat as new.
    /// </summary>
    public static DateTime? LastObserved(ArrivalForecaster forecaster)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        var state = forecaster.State;
        if (state.CurrentDate is not { } date)
        {
            return null;
        }

        for (var j = state.CurrentDayCalls.Length - 1; j >= 0; j--)
        {
            if (state.CurrentDayCalls[j] is not null)
            {
                return date.ToDateTime(TimeOnly.MinValue) + forecaster.IntervalLength * (state.FirstSlot + j);
            }
        }

        return date.ToDateTime(TimeOnly.MinValue);
    }
}
