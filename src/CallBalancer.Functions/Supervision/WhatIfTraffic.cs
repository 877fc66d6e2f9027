using CallBalancer.Core.Forecasting;
using CallBalancer.Core.Simulation;
using CallBalancer.Core.Telephony;
using CallBalancer.Storage;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// The real traffic the what-if panel replays: a queue's own recorded arrivals and handle times (the telephony
/// intervals), or the reference files (read once per process, a few MB of CSV, and kept: the arrival series and the
/// empirical service-time distribution).
/// </summary>
internal sealed class WhatIfTraffic(IOptions<WhatIfOptions> options, IntervalStore? intervals = null, TelephonyOptions? telephony = null, ForecastOptions? forecast = null)
{
    private readonly Lazy<(IntervalCountSeries Series, IServiceTimeDistribution ServiceTimes, string Source)?> _data = new(() => Load(options.Value));

    /// <summary>The arrival series, service times and the arrivals file's name; null when no data folder is found.</summary>
    public (IntervalCountSeries Series, IServiceTimeDistribution ServiceTimes, string Source)? Data => _data.Value;

    /// <summary>
    /// The queue's recorded arrivals per interval from <c>HistoryDays</c> before <paramref name="day"/> to the day itself, in
    /// the centre's time zone (<see cref="ForecastOptions.TimeZone"/>), its mean handle time over them (null when no
    /// call ended with a known handle time) and what was recorded on the day itself (to set the simulation beside);
    /// null when the queue has no call on <paramref name="day"/>.
    /// </summary>
    public async Task<(IntervalCountSeries Series, double? MeanHandleSeconds, IntervalCounts Recorded)?> QueueHistoryAsync(string queueId, DateOnly day, CancellationToken cancellationToken)
    {
        // No queue has calls at the ends of the calendar, and the history window would not fit there.
        if (intervals is null || telephony is null || day.DayNumber <= options.Value.HistoryDays + 1 || day >= DateOnly.MaxValue.AddDays(-1))
        {
            return null;
        }

        var zone = forecast?.Zone() ?? TimeZoneInfo.Utc;
        var first = day.AddDays(-options.Value.HistoryDays - 1);
        var all = await intervals.GetDaysAsync(queueId, first, day.AddDays(1), cancellationToken);
        var series = IntervalCountSeries.FromUtcIntervals(all.Select(i => (i.IntervalStart, (double)i.Counts.Arrivals)), TimeSpan.FromMinutes(telephony.IntervalMinutes), zone);
        var days = series.Days.Where(d => d.Date >= day.AddDays(-options.Value.HistoryDays) && d.Date <= day).ToList();
        if (!days.Any(d => d.Date == day))
        {
            return null;
        }

        var handled = all.Sum(i => i.Counts.HandledCalls);
        var mean = handled > 0 ? all.Sum(i => i.Counts.HandleTimeSeconds) / handled : (double?)null;
        var recorded = all.Where(i => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(i.IntervalStart, zone).DateTime) == day)
            .Aggregate(IntervalCounts.Zero, (sum, i) => sum + i.Counts);
        return (new IntervalCountSeries(series.IntervalLength, series.FirstSlot, series.SlotCount, days), mean, recorded);
    }

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
