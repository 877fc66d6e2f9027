using System.Globalization;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// Parses a per-call CSV with the columns of <c>anonymous_bank_1999_02_calls.csv</c> (header required; the columns
/// used are <c>arrival</c>, <c>answered_at</c>, <c>outcome</c>, <c>queue_start</c> and <c>ser_time_s</c>).
/// </summary>
public static class BankCallRecordReader
{
    /// <summary>Reads every record; throws <see cref="FormatException"/> naming the line on a malformed row.</summary>
    public static IReadOnlyList<BankCallRecord> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine() ?? throw new FormatException("The per-call file is empty.");
        var columns = header.Split(',');
        int Col(string name)
        {
            var i = Array.IndexOf(columns, name);
            return i >= 0 ? i : throw new FormatException($"The per-call file has no '{name}' column.");
        }

        int arrival = Col("arrival"), answered = Col("answered_at"), outcome = Col("outcome"),
            queueStart = Col("queue_start"), service = Col("ser_time_s");
        var records = new List<BankCallRecord>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            if (f.Length < columns.Length)
            {
                throw new FormatException($"Line {lineNumber}: expected {columns.Length} fields, found {f.Length}.");
            }

            if (!DateTime.TryParse(f[arrival], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                throw new FormatException($"Line {lineNumber}: arrival '{f[arrival]}' is not a timestamp.");
            }

            if (!double.TryParse(f[service], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                throw new FormatException($"Line {lineNumber}: ser_time_s '{f[service]}' is not a number.");
            }

            var queued = f[queueStart].Length > 0 || f[answered].Length > 0;
            records.Add(new BankCallRecord(at, f[outcome], queued, seconds));
        }

        return records;
    }
}
