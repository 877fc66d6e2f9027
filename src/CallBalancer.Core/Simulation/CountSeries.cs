using System.Globalization;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// A series of arrival counts per fixed-length interval (any length, any days of the week), e.g. a
/// <c>interval_start,calls</c> file. Missing (blank) counts are null, not zero.
/// </summary>
public sealed class CountSeries
{
    /// <summary>Creates a series from interval starts (ascending) and their counts.</summary>
    public CountSeries(IReadOnlyList<DateTime> starts, IReadOnlyList<int?> counts, int intervalSeconds)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(counts);
        if (starts.Count != counts.Count)
        {
            throw new ArgumentException("Starts and counts must have the same length.", nameof(counts));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalSeconds);
        Starts = starts;
        Counts = counts;
        IntervalSeconds = intervalSeconds;
    }

    /// <summary>Interval starts (local wall-clock time), ascending.</summary>
    public IReadOnlyList<DateTime> Starts { get; }

    /// <summary>Calls per interval; null when missing.</summary>
    public IReadOnlyList<int?> Counts { get; }

    /// <summary>The interval length (seconds), read from the file as the most common gap between starts.</summary>
    public int IntervalSeconds { get; }

    /// <summary>The distinct dates present, ascending.</summary>
    public IReadOnlyList<DateOnly> Dates() =>
        Starts.Select(DateOnly.FromDateTime).Distinct().Order().ToList();

    /// <summary>
    /// TEMPORARY reader for <c>interval_start,calls[,...]</c> files until the shared forecasting parser is merged.
    /// </summary>
    public static CountSeries Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine() ?? throw new FormatException("The counts file is empty.");
        var columns = header.Split(',');
        var startCol = Array.IndexOf(columns, "interval_start");
        var callsCol = Array.IndexOf(columns, "calls");
        if (startCol < 0 || callsCol < 0)
        {
            throw new FormatException("The counts file needs 'interval_start' and 'calls' columns.");
        }

        var starts = new List<DateTime>();
        var counts = new List<int?>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            if (!DateTime.TryParse(f[startCol], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                throw new FormatException($"Line {lineNumber}: interval_start '{f[startCol]}' is not a timestamp.");
            }

            int? calls = null;
            if (f.Length > callsCol && f[callsCol].Length > 0)
            {
                calls = int.TryParse(f[callsCol], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c >= 0
                    ? c
                    : throw new FormatException($"Line {lineNumber}: calls '{f[callsCol]}' is not a count.");
            }

            starts.Add(start);
            counts.Add(calls);
        }

        if (starts.Count < 2)
        {
            throw new FormatException("The counts file needs at least two intervals.");
        }

        var gaps = new Dictionary<int, int>();
        for (var i = 1; i < starts.Count; i++)
        {
            var gap = (int)Math.Round((starts[i] - starts[i - 1]).TotalSeconds);
            if (gap > 0)
            {
                gaps[gap] = gaps.GetValueOrDefault(gap) + 1;
            }
        }

        var interval = gaps.OrderByDescending(g => g.Value).ThenBy(g => g.Key).First().Key;
        return new CountSeries(starts, counts, interval);
    }
}
