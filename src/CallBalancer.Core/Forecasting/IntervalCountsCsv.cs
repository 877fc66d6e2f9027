using System.Globalization;

namespace CallBalancer.Core.Forecasting;

/// <summary>
/// Reads interval arrival counts from CSV text with a header that names at least <c>interval_start</c> (ISO-8601 local
/// wall-clock start of the interval) and <c>calls</c> (count per interval). Other columns are ignored; a blank count is
/// missing (not zero); the interval length is the smallest gap between distinct starts. Pure: no file access.
/// </summary>
public static class IntervalCountsCsv
{
    /// <summary>Parses the whole reader into a day-by-slot series.</summary>
    /// <param name="reader">CSV text, comma-separated, first line the header.</param>
    /// <returns>The series; days absent from the text are absent from the series.</returns>
    /// <exception cref="FormatException">The header lacks a column, a value does not parse, or a start is off the interval grid.</exception>
    public static IntervalCountSeries Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine() ?? throw new FormatException("The CSV is empty: expected a header with interval_start and calls.");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        var startColumn = Array.FindIndex(columns, c => c.Equals("interval_start", StringComparison.OrdinalIgnoreCase));
        var callsColumn = Array.FindIndex(columns, c => c.Equals("calls", StringComparison.OrdinalIgnoreCase));
        if (startColumn < 0 || callsColumn < 0)
        {
            throw new FormatException($"The CSV header must name interval_start and calls; got '{header}'.");
        }

        var rows = new List<(DateTime Start, double Calls)>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length <= Math.Max(startColumn, callsColumn))
            {
                throw new FormatException($"Line {lineNumber}: expected at least {Math.Max(startColumn, callsColumn) + 1} fields.");
            }

            var startText = fields[startColumn].Trim().Trim('"');
            if (!DateTime.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var start))
            {
                throw new FormatException($"Line {lineNumber}: interval_start '{startText}' is not an ISO-8601 date-time.");
            }

            var callsText = fields[callsColumn].Trim().Trim('"');
            double calls;
            if (callsText.Length == 0)
            {
                calls = double.NaN;
            }
            else if (!double.TryParse(callsText, NumberStyles.Float, CultureInfo.InvariantCulture, out calls) || calls < 0 || !double.IsFinite(calls))
            {
                throw new FormatException($"Line {lineNumber}: calls '{callsText}' is not a non-negative number.");
            }

            rows.Add((start, calls));
        }

        if (rows.Count == 0)
        {
            throw new FormatException("The CSV has a header but no rows.");
        }

        rows.Sort((a, b) => a.Start.CompareTo(b.Start));
        var interval = InferIntervalLength(rows);
        var firstSlot = int.MaxValue;
        var lastSlot = int.MinValue;
        foreach (var (start, _) in rows)
        {
            var ticks = start.TimeOfDay.Ticks;
            if (ticks % interval.Ticks != 0)
            {
                throw new FormatException($"interval_start {start:O} is not on the {interval.TotalMinutes}-minute grid.");
            }

            var slot = (int)(ticks / interval.Ticks);
            firstSlot = Math.Min(firstSlot, slot);
            lastSlot = Math.Max(lastSlot, slot);
        }

        var slotCount = lastSlot - firstSlot + 1;
        var days = new List<IntervalCountDay>();
        foreach (var group in rows.GroupBy(r => DateOnly.FromDateTime(r.Start)))
        {
            var calls = new double[slotCount];
            Array.Fill(calls, double.NaN);
            foreach (var (start, count) in group)
            {
                var slot = (int)(start.TimeOfDay.Ticks / interval.Ticks) - firstSlot;
                if (!double.IsNaN(calls[slot]))
                {
                    // A repeated start: both rows describe the same interval, so their counts add up.
                    calls[slot] += double.IsNaN(count) ? 0 : count;
                }
                else
                {
                    calls[slot] = count;
                }
            }

            days.Add(new IntervalCountDay(group.Key, calls));
        }

        return new IntervalCountSeries(interval, firstSlot, slotCount, days);
    }

    private static TimeSpan InferIntervalLength(List<(DateTime Start, double Calls)> sortedRows)
    {
        // The smallest positive gap between consecutive starts is the interval: closed hours, missing days and
        // dropped rows only ever make gaps longer.
        var best = TimeSpan.MaxValue;
        for (var i = 1; i < sortedRows.Count; i++)
        {
            var gap = sortedRows[i].Start - sortedRows[i - 1].Start;
            if (gap > TimeSpan.Zero && gap < best)
            {
                best = gap;
            }
        }

        if (best == TimeSpan.MaxValue)
        {
            throw new FormatException("Cannot infer the interval length: the CSV needs at least two distinct interval starts.");
        }

        if (TimeSpan.TicksPerDay % best.Ticks != 0)
        {
            throw new FormatException($"The inferred interval length {best} does not divide a day.");
        }

        return best;
    }
}
