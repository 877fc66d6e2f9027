using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CallBalancer.DevHost;
using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Cli.Benchmarks.Load;

/// <summary>
/// <c>callbalancer bench load</c>: a bounded load simulation of a whole centre on Azurite (Table and Queue services),
/// through the real app in the dev host: the <c>Rebalance</c> timer fans out work items through a Storage queue, the
/// <c>RebalanceWorker</c> queue trigger decides them (fed as the Functions host feeds it), while queue snapshots and
/// call events are posted to the webhooks and agent desktops poll their mode over loopback HTTP. Time is simulated
/// (each simulated second's work is done, then the app's clock moves on), so rates are per simulated second: the rates
/// a real centre of this size would send to Azure Storage. Every storage request is counted by table or queue,
/// partition and second, and the per-partition and per-account rates are set against the services' published targets.
/// </summary>
internal sealed class LoadBenchmark : IBenchmark
{
    // Published scalability targets (Azure Storage docs, "Scalability and performance targets" for Table and Queue storage).
    private const double PartitionEntitiesPerSecond = 2_000;
    private const double AccountTransactionsPerSecond = 20_000;
    private const double QueueMessagesPerSecond = 2_000;
    private const double AccountMessagesPerSecond = 20_000;

    private static readonly string[] WindowSources = ["snapshots", "events", "desktop", "rebalance"];

    public string Name => "load";

    public string Summary => "Load simulation on Azurite: fan-out rebalance + webhooks + desktop polls; storage rates per partition/account vs targets [--agents 10000] [--queues 500] [--seconds 60].";

    public async Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var o = LoadOptions.From(args);
        var dataFile = args.String("data") is { } dir ? Path.Combine(dir, BankCallEvents.FileName) : RepositoryPaths.SharedDataFile(BankCallEvents.FileName);
        if (!File.Exists(dataFile))
        {
            throw new CliUsageException($"Cannot find {dataFile}.");
        }

        var profile = TrafficProfile.Load(dataFile);
        var random = new Random(o.Seed);
        var sizes = profile.QueueSizes(o.Agents, o.Queues, o.LargestQueue);
        var clock = new SimulatedClock(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        var queues = sizes.Select((s, j) => new SimulatedQueue($"q{j:D4}", s.Type, s.Agents, o.Occupancy, o.PatienceSeconds, random)).ToList();
        var agents = queues.SelectMany(q => q.AgentIds.Select(a => (Queue: q, AgentId: a))).ToList();
        progress.WriteLine($"load: {o.Agents} agents in {o.Queues} queues (largest {sizes.Max(s => s.Agents)}, smallest {sizes.Min(s => s.Agents)}), " +
            $"{queues.Sum(q => q.ArrivalsPerSecond):F1} calls/s at occupancy {o.Occupancy}");

        await using var tableService = await AzuriteLauncher.StartAsync(persist: false, progress.WriteLine, cancellationToken);
        await using var queueService = await AzuriteLauncher.StartQueueServiceAsync(cancellationToken);
        var connection = $"{tableService.ConnectionString}QueueEndpoint={queueService.Endpoint};";
        var baseline = await RawPointReadRateAsync(connection, cancellationToken);
        progress.WriteLine($"load: baseline {baseline:F0} raw point reads/s on this Azurite");

        var counter = new StorageRequestCounter(clock);
        var port = AzuriteLauncher.FreePort();
        var app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", "--CallBalancer:Storage:TablePrefix=load", "--CallBalancer:DevHost:RunTriggers=false",
             "--CallBalancer:Rebalance:WorkQueueName=rebalance-work", "--REBALANCE_WORK_QUEUE=rebalance-work",
             $"--CallBalancer:Rebalance:QueuesPerWorkItem={o.QueuesPerWorkItem}",
             "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft=Warning"],
            connection,
            b =>
            {
                b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
                b.Services.AddSingleton<HttpPipelinePolicy>(counter);
            });
        await app.StartAsync(cancellationToken);
        using var flips = new FlipCounter();
        try
        {
            var functions = app.Services.GetRequiredService<IReadOnlyList<FunctionEntry>>();
            var timer = functions.Single(f => f.Name == "Rebalance");
            var forecast = functions.Single(f => f.Name == "ForecastRefresh");
            var worker = QueueFunctionDispatcher.ForConfiguredQueues(functions, app.Configuration, app.Services,
                app.Services.GetRequiredService<ILoggerFactory>(), [counter]).Single();
            await worker.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromMinutes(2),
            };
            var statuses = new HttpStatuses();

            // 1. Provisioning: every queue's first snapshot, then the first (cold) rebalance, which creates every agent.
            counter.Source = "seed";
            await PostAllAsync(http, statuses, queues.Select(q => ("snapshot", q.Id, q.SnapshotJson(clock.GetUtcNow()))), o.Concurrency, cancellationToken);
            counter.Source = "provisioning";
            var cold = await TickAsync(timer, worker, app.Services, flips, cancellationToken);
            progress.WriteLine($"load: cold rebalance {cold.Seconds:F2} s, {cold.WorkItems} work items, {cold.Flips} agents created");

            // 2. Warm-up, not measured: traffic runs past the minimum dwell (so the policy is free to flip), silently, then
            //    for the last 35 s with snapshots and rebalance ticks as usual, so the window starts with every queue's
            //    snapshot fresh and the balancer running. The window starts one second after a 15-second tick.
            counter.Source = "warm-up";
            var windowAt = new DateTimeOffset(2026, 11, 24, 10, 5, 16, TimeSpan.Zero);
            while (clock.GetUtcNow() < windowAt.AddSeconds(-1))
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                var now = clock.GetUtcNow();
                queues.ForEach(q => q.Step(now));
                var left = (int)(windowAt - now).TotalSeconds;
                if (left < 35)
                {
                    await PostAllAsync(http, statuses, queues.Where((_, j) => (left + j) % o.SnapshotEverySeconds == 0)
                        .Select(q => ("snapshot", q.Id, q.SnapshotJson(now))), o.Concurrency, cancellationToken);
                    if (now.ToUnixTimeSeconds() % o.CadenceSeconds == 0)
                    {
                        await TickAsync(timer, worker, app.Services, flips, cancellationToken);
                    }
                }
            }

            clock.Advance(TimeSpan.FromSeconds(1));

            // 3. The measured window, one simulated second at a time.
            var windowStart = clock.GetUtcNow().ToUnixTimeSeconds();
            var ticks = new List<TickResult>();
            var http0 = statuses.Snapshot();
            var wall = Stopwatch.StartNew();
            for (var s = 0; s < o.Seconds; s++)
            {
                var now = clock.GetUtcNow();
                var events = queues.SelectMany(q => q.Step(now).Select(e => ("event", q.Id, e))).ToList();
                counter.Source = "snapshots";
                await PostAllAsync(http, statuses, queues.Where((_, j) => (s + j) % o.SnapshotEverySeconds == 0)
                    .Select(q => ("snapshot", q.Id, q.SnapshotJson(now))), o.Concurrency, cancellationToken);
                counter.Source = "events";
                await PostAllAsync(http, statuses, events, o.Concurrency, cancellationToken);
                if (o.PollEverySeconds > 0)
                {
                    counter.Source = "desktop";
                    await PostAllAsync(http, statuses, agents.Where((_, i) => (s + i) % o.PollEverySeconds == 0)
                        .Select(a => ("mode", a.AgentId, string.Empty)), o.Concurrency, cancellationToken);
                }

                if (now.ToUnixTimeSeconds() % o.CadenceSeconds == 0)
                {
                    counter.Source = "rebalance";
                    ticks.Add(await TickAsync(timer, worker, app.Services, flips, cancellationToken));
                    progress.WriteLine($"load: t+{s,3} s tick {ticks[^1].Seconds:F2} s wall, {ticks[^1].WorkItems} work items, {ticks[^1].Flips} flips");
                }

                clock.Advance(TimeSpan.FromSeconds(1));
            }

            var wallSeconds = wall.Elapsed.TotalSeconds;
            var httpWindow = statuses.Snapshot().Minus(http0);

            // 4. One forecast refresh (every 15 minutes in production), counted on its own.
            counter.Source = "forecast";
            var forecastWatch = Stopwatch.StartNew();
            await FunctionInvoker.InvokeTimerAsync(forecast, app.Services, new TimerInfo(), cancellationToken);
            var forecastSeconds = forecastWatch.Elapsed.TotalSeconds;

            var report = new LoadReport(counter.Load, windowStart, o.Seconds, WindowSources);
            return new
            {
                what = "Simulated seconds of a whole centre through the dev host on Azurite; rates are per simulated second",
                machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString },
                workload = new
                {
                    o.Agents,
                    o.Queues,
                    queueSizes = new { largest = sizes.Max(s => s.Agents), median = sizes.Select(s => s.Agents).Order().ElementAt(sizes.Count / 2), smallest = sizes.Min(s => s.Agents) },
                    callTypeMix = profile.Types.Select(t => new { t.Name, share = Math.Round(t.Share, 4), meanHandleSeconds = Math.Round(t.MeanServiceSeconds, 1) }),
                    source = $"{BankCallEvents.FileName}: call-type mix and answered service times",
                    assumptions = new { o.Occupancy, o.PatienceSeconds, o.SnapshotEverySeconds, o.PollEverySeconds },
                    callsPerSecond = Math.Round(queues.Sum(q => q.ArrivalsPerSecond), 2),
                    o.CadenceSeconds,
                    o.QueuesPerWorkItem,
                    simulatedSeconds = o.Seconds,
                },
                provisioning = new
                {
                    what = "first snapshot of every queue, then the first rebalance, which creates every agent's mode and index entry (once per agent)",
                    rebalanceSeconds = Math.Round(cold.Seconds, 2),
                    cold.WorkItems,
                    agentsCreated = cold.Flips,
                    storage = report.Totals("provisioning"),
                },
                http = new
                {
                    requests = httpWindow.Counts,
                    unexpected = httpWindow.Unexpected,
                    perSimulatedSecond = httpWindow.Counts.ToDictionary(p => p.Key, p => Math.Round(p.Value / (double)o.Seconds, 1)),
                },
                rebalance = RebalanceFigures(report, ticks, o),
                forecastRefresh = new
                {
                    what = "one ForecastRefresh run (every 15 minutes): intervals of today and yesterday, forecaster state read and saved, per queue",
                    seconds = Math.Round(forecastSeconds, 2),
                    storage = report.Totals("forecast"),
                    tableRequestsPerSecondAt5Minutes = Math.Round(report.Totals("forecast").TableRequests / 300.0, 2),
                },
                bySource = WindowSources.ToDictionary(src => src, src => report.PerSecond(src)),
                account = report.Account(AccountTransactionsPerSecond, AccountMessagesPerSecond, report.Totals("forecast").TableRequests / 300.0),
                partitions = report.Partitions(PartitionEntitiesPerSecond, QueueMessagesPerSecond, top: 12),
                perAgentPerDay = report.PerAgentPerDay(o.Agents, ticks.Count == 0 ? 0 : ticks.Average(t => t.WorkItems), o, httpWindow.Counts, report.Totals("forecast")),
                baseline = new
                {
                    what = "Azurite raw point reads (16 concurrent), same run: how fast this emulator answers here",
                    pointReadsPerSecond = Math.Round(baseline, 0),
                },
                pace = new
                {
                    wallSeconds = Math.Round(wallSeconds, 1),
                    simulatedSecondsPerWallSecond = Math.Round(o.Seconds / wallSeconds, 3),
                    storageRequestsPerWallSecond = Math.Round(report.WindowRequests / wallSeconds, 0),
                    ratioToBaseline = Math.Round(report.WindowRequests / wallSeconds / baseline, 3),
                },
            };
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static object RebalanceFigures(LoadReport report, List<TickResult> ticks, LoadOptions o)
    {
        var totals = report.Totals("rebalance");
        var n = Math.Max(1, ticks.Count);
        var flips = ticks.Sum(t => t.Flips);
        return new
        {
            ticks = ticks.Count,
            workItemsPerTick = ticks.Count == 0 ? 0 : ticks.Average(t => t.WorkItems),
            executionsPerTick = ticks.Count == 0 ? 0 : 1 + ticks.Average(t => t.WorkItems),
            wallSecondsPerTick = new { mean = Math.Round(ticks.Count == 0 ? 0 : ticks.Average(t => t.Seconds), 2), max = Math.Round(ticks.Count == 0 ? 0 : ticks.Max(t => t.Seconds), 2) },
            flips,
            flipsPerTick = Math.Round((double)flips / n, 1),
            tableReadsPerTick = Math.Round((double)(totals.TableRequests - totals.TableWriteRequests) / n, 1),
            tableReadsPerQueuePerTick = Math.Round((double)(totals.TableRequests - totals.TableWriteRequests) / n / o.Queues, 3),
            tableWritesPerTick = Math.Round((double)totals.TableWriteRequests / n, 1),
            // Each work item's worker records its run (one upsert); every other write is a flip's: a queue's mode
            // transaction or its decision record.
            runRecordWritesPerTick = Math.Round((double)ticks.Sum(t => t.WorkItems) / n, 1),
            flipWritesPerTick = Math.Round((double)(totals.TableWriteRequests - ticks.Sum(t => t.WorkItems)) / n, 1),
            tableWritesPerFlip = flips == 0 ? (double?)null : Math.Round((double)(totals.TableWriteRequests - ticks.Sum(t => t.WorkItems)) / flips, 3),
            queueRequestsPerTick = Math.Round((double)totals.QueueRequests / n, 1),
            totals,
        };
    }

    private static async Task<TickResult> TickAsync(FunctionEntry timer, QueueFunctionDispatcher worker, IServiceProvider services, FlipCounter flips, CancellationToken cancellationToken)
    {
        var before = flips.Total;
        var watch = Stopwatch.StartNew();
        await FunctionInvoker.InvokeTimerAsync(timer, services, new TimerInfo(), cancellationToken);
        var items = await worker.DrainAsync(cancellationToken);
        return new TickResult(watch.Elapsed.TotalSeconds, items, flips.Total - before);
    }

    private static async Task PostAllAsync(HttpClient http, HttpStatuses statuses, IEnumerable<(string Kind, string Id, string Body)> requests, int concurrency, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (r, ct) =>
        {
            using var response = r.Kind switch
            {
                "snapshot" => await http.PostAsync($"/api/queues/{r.Id}/snapshot", new StringContent(r.Body, Encoding.UTF8, "application/json"), ct),
                "event" => await http.PostAsync("/api/telephony/events", new StringContent(r.Body, Encoding.UTF8, "application/json"), ct),
                _ => await http.GetAsync($"/api/agents/{r.Id}/mode", ct),
            };
            statuses.Add(r.Kind, response.StatusCode);
        });
    }

    private static async Task<double> RawPointReadRateAsync(string connection, CancellationToken cancellationToken)
    {
        var table = new TableServiceClient(connection).GetTableClient("baseline");
        await table.CreateIfNotExistsAsync(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity("p", "r"), cancellationToken: cancellationToken);
        const int reads = 3000;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, reads), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (_, ct) => await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: ct));
        var rate = reads / watch.Elapsed.TotalSeconds;
        await table.DeleteAsync(cancellationToken);
        return rate;
    }

    private sealed record TickResult(double Seconds, int WorkItems, long Flips);

    /// <summary>Counts the app's <c>callbalancer.mode.flips</c> measurements (the same meter Azure Monitor receives).</summary>
    private sealed class FlipCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public FlipCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CallBalancerTelemetry.Name && instrument.Name == "callbalancer.mode.flips")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>HTTP requests by kind, and the unexpected answers by kind and status.</summary>
    private sealed record HttpTally(Dictionary<string, long> Counts, Dictionary<string, long> Unexpected)
    {
        public HttpTally Minus(HttpTally before) => new(
            Counts.ToDictionary(p => p.Key, p => p.Value - before.Counts.GetValueOrDefault(p.Key), StringComparer.Ordinal),
            Unexpected.ToDictionary(p => p.Key, p => p.Value - before.Unexpected.GetValueOrDefault(p.Key), StringComparer.Ordinal)
                .Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>HTTP answers by request kind; anything but the expected status is counted as unexpected.</summary>
    private sealed class HttpStatuses
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _unexpected = new(StringComparer.Ordinal);

        public void Add(string kind, HttpStatusCode status)
        {
            _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
            var expected = kind switch { "snapshot" => HttpStatusCode.Accepted, "event" => HttpStatusCode.OK, _ => HttpStatusCode.OK };
            if (status != expected)
            {
                _unexpected.AddOrUpdate($"{kind} {(int)status}", 1, (_, n) => n + 1);
            }
        }

        public HttpTally Snapshot() =>
            new(new Dictionary<string, long>(_counts, StringComparer.Ordinal), new Dictionary<string, long>(_unexpected, StringComparer.Ordinal));
    }
}
