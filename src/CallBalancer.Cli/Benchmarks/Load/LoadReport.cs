using System.Text.RegularExpressions;
using CallBalancer.Storage;

namespace CallBalancer.Cli.Benchmarks.Load;

/// <summary>
/// Turns the storage request counter's samples (source, table or queue, partition, simulated second) into the rates the
/// scalability targets are stated in: transactions per second per account, entities per second per partition,
/// messages per second per queue; and into counts per agent per day for the cost arithmetic.
/// </summary>
internal sealed partial class LoadReport
{
    private readonly List<StorageLoadSample> _samples;
    private readonly long _windowStart;
    private readonly int _seconds;
    private readonly string[] _windowSources;

    public LoadReport(IEnumerable<StorageLoadSample> samples, long windowStart, int seconds, string[] windowSources)
    {
        _samples = samples.Select(s => s with { Resource = Normalise(s.Resource) }).ToList();
        _windowStart = windowStart;
        _seconds = seconds;
        _windowSources = windowSources;
    }

    /// <summary>Requests (table and queue) sent by the window's workloads.</summary>
    public long WindowRequests => Window().Sum(s => s.Requests);

    /// <summary>Totals of one source over the whole run.</summary>
    public LoadTotals Totals(string source)
    {
        var table = _samples.Where(s => s.Source == source && s.Service == "table").ToList();
        var queue = _samples.Where(s => s.Source == source && s.Service == "queue").ToList();
        return new LoadTotals(
            table.Sum(s => s.Requests), table.Sum(s => s.WriteRequests), table.Sum(s => s.EntitiesWritten), table.Sum(s => s.EntitiesRead),
            queue.Sum(s => s.Requests), queue.Sum(s => s.Entities),
            table.GroupBy(s => s.Resource).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (object)new { requests = g.Sum(s => s.Requests), writes = g.Sum(s => s.WriteRequests), entities = g.Sum(s => s.Entities) }));
    }

    /// <summary>One source's mean rates over the window, by table.</summary>
    public object PerSecond(string source)
    {
        var samples = Window().Where(s => s.Source == source).ToList();
        return new
        {
            tableRequestsPerSecond = Rate(samples.Where(s => s.Service == "table").Sum(s => s.Requests)),
            tableEntitiesPerSecond = Rate(samples.Where(s => s.Service == "table").Sum(s => s.Entities)),
            queueRequestsPerSecond = Rate(samples.Where(s => s.Service == "queue").Sum(s => s.Requests)),
            byTable = samples.Where(s => s.Service == "table").GroupBy(s => s.Resource).OrderByDescending(g => g.Sum(s => s.Requests))
                .ToDictionary(g => g.Key, g => new { requestsPerSecond = Rate(g.Sum(s => s.Requests)), entitiesPerSecond = Rate(g.Sum(s => s.Entities)) }),
        };
    }

    /// <summary>Account-wide rates: table transactions per second (mean, 95th percentile and peak second) and queue messages.</summary>
    public object Account(double accountTarget, double queueAccountTarget, double forecastPerSecond)
    {
        var perSecond = Series(Window().Where(s => s.Service == "table"), s => s.Requests);
        var queueMessages = Series(Window().Where(s => s.Service == "queue"), s => s.Entities);
        var queueRequests = Series(Window().Where(s => s.Service == "queue"), s => s.Requests);
        var mean = perSecond.Average() + forecastPerSecond;
        return new
        {
            table = new
            {
                transactionsPerSecondMean = Math.Round(mean, 1),
                transactionsPerSecondP95 = Percentile(perSecond, 0.95),
                transactionsPerSecondPeak = perSecond.Max(),
                target = accountTarget,
                peakShareOfTarget = Math.Round(perSecond.Max() / accountTarget, 4),
                meanShareOfTarget = Math.Round(mean / accountTarget, 4),
                note = "the mean includes the 5-minute forecast refresh spread over its period; peaks are seconds of the window",
            },
            queue = new
            {
                requestsPerSecondMean = Math.Round(queueRequests.Average(), 2),
                messagesPerSecondMean = Math.Round(queueMessages.Average(), 2),
                messagesPerSecondPeak = queueMessages.Max(),
                target = queueAccountTarget,
                peakShareOfTarget = Math.Round(queueMessages.Max() / queueAccountTarget, 5),
            },
        };
    }

    /// <summary>
    /// The hottest partitions by their busiest second (entities written plus read), every table's hottest partition, the
    /// cross-partition scans, and the work queue's messages per second, each against its target.
    /// </summary>
    public object Partitions(double partitionTarget, double queueTarget, int top)
    {
        var table = Window().Where(s => s.Service == "table").ToList();
        var byPartition = table.Where(s => s.Partition != "*")
            .GroupBy(s => (s.Resource, s.Partition))
            .Select(g =>
            {
                var series = g.GroupBy(s => s.Second).Select(x => x.Sum(s => s.Entities)).ToList();
                return new PartitionRate(g.Key.Resource, g.Key.Partition, series.Max(), (double)series.Sum() / _seconds, g.Sum(s => s.Requests));
            })
            .ToList();
        var queues = Window().Where(s => s.Service == "queue").GroupBy(s => s.Resource).Select(g =>
        {
            var series = Series(g, s => s.Entities);
            return new { queue = g.Key, messagesPerSecondPeak = series.Max(), messagesPerSecondMean = Math.Round(series.Average(), 2), target = queueTarget, peakShareOfTarget = Math.Round(series.Max() / queueTarget, 5) };
        }).ToList();
        var hottest = byPartition.MaxBy(p => p.Peak);
        return new
        {
            target = partitionTarget,
            partitionsTouched = byPartition.Count,
            hottestPeakEntitiesPerSecond = hottest?.Peak ?? 0,
            hottestPeakShareOfTarget = Math.Round((hottest?.Peak ?? 0) / partitionTarget, 4),
            allUnderTarget = byPartition.All(p => p.Peak < partitionTarget),
            top = byPartition.OrderByDescending(p => p.Peak).ThenByDescending(p => p.Mean).Take(top).Select(p => p.ToJson(partitionTarget)),
            hottestByTable = byPartition.GroupBy(p => p.Table).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g =>
                {
                    var h = g.MaxBy(p => p.Peak)!;
                    return new { partitions = g.Count(), h.Partition, peakEntitiesPerSecond = h.Peak, meanEntitiesPerSecond = Math.Round(h.Mean, 2), peakShareOfTarget = Math.Round(h.Peak / partitionTarget, 4) };
                }),
            crossPartitionScans = table.Where(s => s.Partition == "*").GroupBy(s => s.Resource)
                .ToDictionary(g => g.Key, g => new { requestsPerSecond = Rate(g.Sum(s => s.Requests)), entitiesReadPerSecond = Rate(g.Sum(s => s.EntitiesRead)) }),
            workQueues = queues,
        };
    }

    /// <summary>
    /// Storage transactions and function executions per agent per day, by source, from the window's mean rates. The
    /// rebalance and forecast run all day; ingestion and desktop polls are at the simulated (busy) rates, an upper bound.
    /// </summary>
    public object PerAgentPerDay(int agents, double workItemsPerTick, LoadOptions o, IReadOnlyDictionary<string, long> http, LoadTotals forecast)
    {
        const double Day = 86_400;
        double PerDay(double perSecond) => Math.Round(perSecond * Day / agents, 2);
        var window = Window().ToList();
        var storage = _windowSources.ToDictionary(src => src, src => PerDay((double)window.Where(s => s.Source == src).Sum(s => s.Requests) / _seconds));
        storage["forecast"] = PerDay((forecast.TableRequests + forecast.QueueRequests) / 300.0);
        var ticksPerDay = Day / o.CadenceSeconds;
        var executions = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rebalance"] = Math.Round((1 + workItemsPerTick) * ticksPerDay / agents, 3),
            ["forecast"] = Math.Round(Day / 300 / agents, 4),
            ["snapshots"] = PerDay(http.GetValueOrDefault("snapshot") / (double)_seconds),
            ["events"] = PerDay(http.GetValueOrDefault("event") / (double)_seconds),
            ["desktop"] = PerDay(http.GetValueOrDefault("mode") / (double)_seconds),
        };
        return new
        {
            storageTransactions = storage,
            executions,
            rebalancePathStorageTransactions = Math.Round(storage["rebalance"] + storage["forecast"], 2),
            rebalancePathExecutions = Math.Round(executions["rebalance"] + executions["forecast"], 3),
        };
    }

    private IEnumerable<StorageLoadSample> Window() =>
        _samples.Where(s => s.Second >= _windowStart && s.Second < _windowStart + _seconds && _windowSources.Contains(s.Source));

    /// <summary>A value per second of the window, zero for seconds with none.</summary>
    private List<double> Series(IEnumerable<StorageLoadSample> samples, Func<StorageLoadSample, long> value)
    {
        var bySecond = samples.GroupBy(s => s.Second).ToDictionary(g => g.Key, g => (double)g.Sum(value));
        return Enumerable.Range(0, _seconds).Select(i => bySecond.GetValueOrDefault(_windowStart + i)).ToList();
    }

    private double Rate(long total) => Math.Round((double)total / _seconds, 2);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }

    // "loadAgentModes" -> "AgentModes"; "loadDecisions202611" -> "Decisions" (one table per month).
    private static string Normalise(string resource)
    {
        var name = resource.StartsWith("load", StringComparison.Ordinal) ? resource[4..] : resource;
        return MonthSuffix().Replace(name, string.Empty);
    }

    [GeneratedRegex(@"(?<=^Decisions)\d{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthSuffix();

    private sealed record PartitionRate(string Table, string Partition, double Peak, double Mean, long Requests)
    {
        public object ToJson(double target) => new
        {
            table = Table,
            partition = Partition,
            peakEntitiesPerSecond = Peak,
            meanEntitiesPerSecond = Math.Round(Mean, 2),
            requests = Requests,
            peakShareOfTarget = Math.Round(Peak / target, 4),
        };
    }
}
