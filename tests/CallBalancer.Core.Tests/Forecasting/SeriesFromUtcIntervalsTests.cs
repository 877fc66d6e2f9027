using CallBalancer.Core.Forecasting;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Forecasting;

public sealed class SeriesFromUtcIntervalsTests
{
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    // A zone with daylight saving (the US rules are built into .NET's data on Linux as America/New_York).
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Property(MaxTest = 300)]
    public Property Every_call_lands_on_its_local_day_and_slot_and_days_without_calls_are_absent(int seed)
    {
        var random = new Random(seed);
        // Three weeks around the autumn change of 2026 (1 November), 15-minute intervals, some empty.
        var start = new DateTimeOffset(2026, 10, 20, 0, 0, 0, TimeSpan.Zero);
        var intervals = Enumerable.Range(0, 21 * 96)
            .Select(i => (Start: start + Quarter * i, Calls: random.Next(4) == 0 ? 0.0 : random.Next(0, 30)))
            .ToList();
        var series = IntervalCountSeries.FromUtcIntervals(intervals, Quarter, NewYork);

        var expected = intervals.Where(i => i.Calls > 0)
            .GroupBy(i => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(i.Start, NewYork).DateTime))
            .ToDictionary(g => g.Key, g => g.Sum(i => i.Calls));
        var days = series.Days.ToDictionary(d => d.Date, d => d.Calls.Sum());
        var slotsOk = intervals.Where(i => i.Calls > 0).All(i =>
        {
            var local = TimeZoneInfo.ConvertTime(i.Start, NewYork).DateTime;
            var row = series.Days.Single(d => d.Date == DateOnly.FromDateTime(local));
            return row.Calls[(int)(local.TimeOfDay.Ticks / Quarter.Ticks)] >= i.Calls;
        });
        return (days.Count == expected.Count && expected.All(e => days[e.Key] == e.Value) && slotsOk
                && series.FirstSlot == 0 && series.SlotCount == 96 && series.Days.All(d => d.Calls.All(double.IsFinite)))
            .Label($"{days.Count} days against {expected.Count}");
    }

    [Fact]
    public void The_repeated_autumn_hour_adds_up_and_quiet_intervals_count_zero()
    {
        // 2026-11-01 01:00-02:00 EDT and again 01:00-02:00 EST: 05:00 and 06:00 UTC.
        var series = IntervalCountSeries.FromUtcIntervals(
            [(new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero), 3), (new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero), 4),
             (new DateTimeOffset(2026, 11, 1, 14, 0, 0, TimeSpan.Zero), 0)],
            Quarter, NewYork);
        var day = Assert.Single(series.Days);
        Assert.Equal(new DateOnly(2026, 11, 1), day.Date);
        Assert.Equal(7, day.Calls[4]); // 01:00 local
        Assert.Equal(7, day.Calls.Sum());
        Assert.Equal(0, day.Calls[40]);
    }
}
