using CallBalancer.Core.Forecasting;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>The two banks the simulator benchmarks run on, and which of their days they take.</summary>
internal static class BenchmarkDays
{
    /// <summary>Each bank's name, counts file and working weekdays (the Israeli bank works Sunday to Thursday).</summary>
    public static IReadOnlyList<(string Bank, string File, DayOfWeek[] Weekdays)> Banks { get; } =
    [
        ("2003", "bank_calls_2003_5min.csv", [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]),
        ("1999", "anonymous_bank_1999_6min.csv", [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday]),
    ];

    /// <summary>The last <paramref name="count"/> full working days with complete counts and at least four earlier same weekdays.</summary>
    public static List<DateOnly> Pick(IntervalCountSeries series, DayOfWeek[] weekdays, int count)
    {
        var complete = series.Days
            .Where(d => weekdays.Contains(d.DayOfWeek) && d.Calls.All(c => !double.IsNaN(c)))
            .Select(d => (d.Date, Total: d.Calls.Sum()))
            .ToList();
        var median = complete.Select(d => d.Total).Order().ElementAt(complete.Count / 2);

        // Holidays (Shavuot, Rosh Hashanah...) are real but are not full working days.
        return complete
            .Where(d => d.Total >= 0.7 * median)
            .Select(d => d.Date)
            .Where(d => series.Days.Count(e => e.Date < d && e.DayOfWeek == d.DayOfWeek) >= 4)
            .Order()
            .TakeLast(count)
            .ToList();
    }
}
