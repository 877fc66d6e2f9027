using CallBalancer.Core.Forecasting;
using CallBalancer.Core.Simulation;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// The real traffic the what-if panel replays, read once per process (a few MB of CSV) and kept: the arrival series
/// and the empirical service-time distribution.
/// </summary>
internal sealed class WhatIfTraffic(IOptions<WhatIfOptions> options)
{
    private readonly Lazy<(IntervalCountSeries Series, IServiceTimeDistribution ServiceTimes, string Source)?> _data = new(() => Load(options.Value));

    /// <summary>The arrival series, service times and the arrivals file's name; null when no data folder is found.</summary>
    public (IntervalCountSeries Series, IServiceTimeDistribution ServiceTimes, string Source)? Data => _data.Value;

    /// <summary>The data folder: the configured one, else <c>shared/data</c> above the app or the current directory.</summary>
    public static string? FindDataPath(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static (IntervalCountSeries, IServiceTimeDistribution, string)? Load(WhatIfOptions o)
    {
        var dir = FindDataPath(o.DataPath);
        if (dir is null)
        {
            return null;
        }

        var arrivals = Path.Combine(dir, o.ArrivalsFile);
        var calls = Path.Combine(dir, o.CallsFile);
        if (!File.Exists(arrivals) || !File.Exists(calls))
        {
            return null;
        }

        IntervalCountSeries series;
        using (var reader = new StreamReader(arrivals))
        {
            series = IntervalCountsCsv.Parse(reader);
        }

        IReadOnlyList<BankCallRecord> records;
        using (var reader = new StreamReader(calls))
        {
            records = BankCallRecordReader.Read(reader);
        }

        var serviceTimes = new EmpiricalServiceTimes(records.Where(r => r.IsAnsweredWithServiceTime).Select(r => r.ServiceSeconds));
        return (series, serviceTimes, o.ArrivalsFile);
    }
}
