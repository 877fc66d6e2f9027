using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Tests.Forecasting;

/// <summary>Builds small interval series for tests.</summary>
internal static class SyntheticSeries
{
    /// <summary>
    /// Consecutive calendar days from Monday 2024-01-01, slots of <paramref name="interval"/> (5 minutes by default)
    /// from 09:00, counts from <paramref name="count"/>(day, slot).
    /// </summary>
    public static IntervalCountSeries Daily(int days, int slots, Func<int, int, double> count, bool weekdaysOnly = false, TimeSpan? interval = null)
    {
        var length = interval ?? TimeSpan.FromMinutes(5);
        var rows = new List<IntervalCountDay>();
        var date = new DateOnly(2024, 1, 1);
        for (var d = 0; rows.Count < days; date = date.AddDays(1))
        {
            if (weekdaysOnly && date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            rows.Add(new IntervalCountDay(date, Enumerable.Range(0, slots).Select(j => count(d, j)).ToArray()));
            d++;
        }

        return new IntervalCountSeries(length, (int)(TimeSpan.FromHours(9) / length), slots, rows);
    }

    public static IntervalCountSeries Scale(IntervalCountSeries series, double factor) =>
        new(series.IntervalLength, series.FirstSlot, series.SlotCount,
            series.Days.Select(d => d with { Calls = d.Calls.Select(c => c * factor).ToArray() }).ToList());
}
