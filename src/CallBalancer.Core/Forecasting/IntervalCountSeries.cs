namespace CallBalancer.Core.Forecasting;

/// <summary>
/// Arrival counts per fixed-length interval, arranged as one row per calendar day present in the source on a common
/// time-of-day grid. Days absent from the source are absent here (not zero rows); blank counts are <see cref="double.NaN"/>.
/// </summary>
public sealed class IntervalCountSeries
{
    /// <summary>Creates a series; <paramref name="days"/> must be in ascending date order and each row <paramref name="slotCount"/> long.</summary>
    /// <param name="intervalLength">Length of one interval (e.g. 5 minutes); must divide a day.</param>
    /// <param name="firstSlot">Index of the earliest interval of the grid counted from midnight (07:00 on a 5-minute grid is 84).</param>
    /// <param name="slotCount">Number of intervals per day row.</param>
    /// <param name="days">The day rows.</param>
    public IntervalCountSeries(TimeSpan intervalLength, int firstSlot, int slotCount, IReadOnlyList<IntervalCountDay> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        if (intervalLength <= TimeSpan.Zero || TimeSpan.TicksPerDay % intervalLength.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(intervalLength), intervalLength, "The interval length must divide a day.");
        }

        var slotsPerDay = (int)(TimeSpan.TicksPerDay / intervalLength.Ticks);
        if (firstSlot < 0 || slotCount < 0 || firstSlot + slotCount > slotsPerDay)
        {
            throw new ArgumentOutOfRangeException(nameof(slotCount), "The slot window must lie within one day.");
        }

        for (var i = 0; i < days.Count; i++)
        {
            if (days[i].Calls.Length != slotCount)
            {
                throw new ArgumentException($"Day {days[i].Date:yyyy-MM-dd} has {days[i].Calls.Length} slots, expected {slotCount}.", nameof(days));
            }

            if (i > 0 && days[i].Date <= days[i - 1].Date)
            {
                throw new ArgumentException("Days must be in strictly ascending date order.", nameof(days));
            }
        }

        IntervalLength = intervalLength;
        FirstSlot = firstSlot;
        SlotCount = slotCount;
        Days = days;
    }

    /// <summary>Length of one interval.</summary>
    public TimeSpan IntervalLength { get; }

    /// <summary>Index from midnight of the first interval of each day row.</summary>
    public int FirstSlot { get; }

    /// <summary>Intervals per day row.</summary>
    public int SlotCount { get; }

    /// <summary>The days present in the source, ascending.</summary>
    public IReadOnlyList<IntervalCountDay> Days { get; }

    /// <summary>Start (local wall-clock) of interval <paramref name="slot"/> (relative to <see cref="FirstSlot"/>) of <paramref name="date"/>.</summary>
    public DateTime IntervalStart(DateOnly date, int slot) =>
        date.ToDateTime(TimeOnly.MinValue) + IntervalLength * (FirstSlot + slot);

    /// <summary>
    /// A whole-day series (every interval from local midnight) in <paramref name="zone"/>'s wall-clock time from counts
    /// stored per UTC interval start, as the telephony store keeps them. An interval that is absent counts zero on a day
    /// that has any call; a local day without a single call is left out (closed, or before the queue existed). On the
    /// autumn change the repeated hour's counts add up; the skipped spring hour counts zero.
    /// </summary>
    public static IntervalCountSeries FromUtcIntervals(IEnumerable<(DateTimeOffset Start, double Calls)> intervals, TimeSpan intervalLength, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(zone);
        if (intervalLength <= TimeSpan.Zero || TimeSpan.TicksPerDay % intervalLength.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(intervalLength), intervalLength, "The interval length must divide a day.");
        }

        var slots = (int)(TimeSpan.TicksPerDay / intervalLength.Ticks);
        var byDay = new SortedDictionary<DateOnly, double[]>();
        foreach (var (start, calls) in intervals)
        {
            if (!(calls > 0) || !double.IsFinite(calls))
            {
                continue;
            }

            var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
            var date = DateOnly.FromDateTime(local);
            if (!byDay.TryGetValue(date, out var row))
            {
                byDay[date] = row = new double[slots];
            }

            row[(int)(local.TimeOfDay.Ticks / intervalLength.Ticks)] += calls;
        }

        return new IntervalCountSeries(intervalLength, 0, slots, byDay.Select(p => new IntervalCountDay(p.Key, p.Value)).ToList());
    }

    /// <summary>A series holding only the first <paramref name="dayCount"/> days (used to tune on data before a test window).</summary>
    public IntervalCountSeries TakeDays(int dayCount) =>
        new(IntervalLength, FirstSlot, SlotCount, Days.Take(dayCount).ToList());
}
