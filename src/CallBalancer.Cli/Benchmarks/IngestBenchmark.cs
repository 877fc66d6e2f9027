using CallBalancer.Storage;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CallBalancer.DevHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// <c>callbalancer bench ingest</c>: telephony events through the dev host over HTTP on Azurite, replaying real calls
/// (the Anonymous Bank per-call records). Measures events/s with batches and the latency of single events, counts the
/// storage requests per event, checks the stored interval totals against the replayed calls (nothing lost or counted
/// twice), and measures Azurite's raw single-entity upsert rate in the same run as the baseline (a ratio). With
/// <c>--sustained SECONDS</c> it offers a fixed rate for a fixed time instead (<see cref="SustainedIngest"/>).
/// </summary>
internal sealed class IngestBenchmark : IBenchmark
{
    public string Name => "ingest";

    public string Summary => "Telephony ingestion through the dev host on Azurite vs raw upserts [--batch 100] [--posters 8] [--days 5] [--singles 500] [--data DIR]; or a fixed load: --sustained 60 --rate 1000 [--batch 50].";

    public async Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var batchSize = args.Int("batch") ?? 100;
        var posters = args.Int("posters") ?? 8;
        var days = args.Int("days") ?? 5;
        var singles = args.Int("singles") ?? 500;
        var rawUpserts = args.Int("raw", 4000, 1);
        var sustained = args.Int("sustained");
        var rate = args.Int("rate") ?? 1000;
        if (batchSize is < 1 or > 500 || posters is < 1 or > 64 || days is < 1 or > 6 || singles < 10)
        {
            throw new CliUsageException("--batch 1-500, --posters 1-64, --days 1-6, --singles >= 10.");
        }

        if (sustained is < 1 or > 3600 || rate is < 1 or > 100_000)
        {
            throw new CliUsageException("--sustained 1-3600 seconds, --rate 1-100000 events/s.");
        }

        if (sustained is not null)
        {
            batchSize = args.Int("batch") ?? 50;
            days = 6;
        }

        var dataFile = args.String("data") is { } dir ? Path.Combine(dir, BankCallEvents.FileName) : RepositoryPaths.SharedDataFile(BankCallEvents.FileName);
        if (!File.Exists(dataFile))
        {
            throw new CliUsageException($"Cannot find {dataFile}.");
        }

        // Replay February 1999 as if it ended an hour ago (the endpoint accepts events up to 7 days old).
        var now = DateTimeOffset.UtcNow;
        var loadBefore = MachineLoad.Read();
        var batched = BankCallEvents.Load(dataFile, skipDays: 0, days, Shift(now, days, skipDays: 0));
        if (sustained is { } wanted)
        {
            // Enough events for the whole run: the real days again for copies of the queues (same arrival pattern).
            var needed = (long)wanted * rate;
            var copies = (int)Math.Ceiling((double)needed / batched.Count);
            batched = Enumerable.Range(0, copies).SelectMany(k => batched.Select(e => BankCallEvents.Copy(e, k))).Take((int)needed).ToList();
        }

        var single = BankCallEvents.Load(dataFile, skipDays: days, 1, Shift(now, 1, skipDays: days)).Take(singles).ToList();
        progress.WriteLine($"ingest: {batched.Count} events from {days} days of real calls for batches, {single.Count} single events");

        await using var azurite = await AzuriteLauncher.StartAsync(persist: false, progress.WriteLine, cancellationToken);
        var baseline = await RawUpsertRateAsync(azurite.ConnectionString, rawUpserts, posters, cancellationToken);
        progress.WriteLine($"ingest: raw single-entity upserts {baseline.PerSecond:F0}/s with {posters} workers");
        var batchCeiling = await RawBatchRateAsync(azurite.ConnectionString, transactions: 200, posters, cancellationToken);
        progress.WriteLine($"ingest: raw 100-entity transactions {batchCeiling:F0} entities/s with {posters} workers");

        var counter = new StorageRequestCounter();
        var port = AzuriteLauncher.FreePort();
        var app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", "--CallBalancer:Storage:TablePrefix=bench", "--REBALANCE_SCHEDULE=0 0 0 1 1 *",
             "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft=Warning"],
            azurite.ConnectionString,
            b => b.Services.AddSingleton<HttpPipelinePolicy>(counter));
        await app.StartAsync(cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };

            // Warm-up: JIT, connections, table creation. These events are separate (own queue) and not measured.
            for (var i = 0; i < 5; i++)
            {
                await PostAsync(http, "{\"eventId\":\"warm-" + i + "\",\"type\":\"call.arrived\",\"occurredAt\":\"" +
                    now.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture) + "\",\"queueId\":\"warmup\",\"callId\":\"w" + i + "\"}", cancellationToken);
            }

            if (sustained is { } duration)
            {
                progress.WriteLine($"ingest: sustained load, {rate} events/s in batches of {batchSize} for {duration} s");
                var load = await SustainedIngest.RunAsync(http, batched, duration, rate, batchSize, progress, cancellationToken);
                return new
                {
                    source = $"{BankCallEvents.FileName}: 6 days of real calls replayed as events, queues copied to make {batched.Count} events",
                    machine = Machine(loadBefore),
                    baseline = Baseline(posters, rawUpserts, baseline.PerSecond),
                    rawBatchCeiling = new { workers = posters, entitiesPerSecond = Math.Round(batchCeiling, 0) },
                    sustained = load,
                    totals = await CheckTotalsAsync(http, batched, app.Services.GetRequiredService<IntervalStore>(), cancellationToken),
                };
            }

            // Batches: consecutive events in time order, as a platform forwards them; posters take batches in turn.
            var bodies = batched.Chunk(batchSize).Select(c => "{\"events\":[" + string.Join(',', c.Select(e => e.Json)) + "]}").ToList();
            var requestsBefore = counter.Total;
            var readsBefore = counter.Reads;
            var batchLatencies = new List<double>[posters];
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, posters).Select(p => Task.Run(async () =>
            {
                batchLatencies[p] = [];
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Count)
                {
                    var t = Stopwatch.GetTimestamp();
                    await PostAsync(http, bodies[i], cancellationToken);
                    batchLatencies[p].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }, cancellationToken)));
            var batchSeconds = clock.Elapsed.TotalSeconds;
            var batchRequests = counter.Total - requestsBefore;
            var batchReads = counter.Reads - readsBefore;

            // Single events, one request at a time (the latency a platform sees per callback).
            var singleLatencies = new List<double>(single.Count);
            requestsBefore = counter.Total;
            clock.Restart();
            foreach (var e in single)
            {
                var t = Stopwatch.GetTimestamp();
                await PostAsync(http, e.Json, cancellationToken);
                singleLatencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            var singleSeconds = clock.Elapsed.TotalSeconds;
            var singleRequests = counter.Total - requestsBefore;

            // Replay every batch once more: all duplicates, nothing may change.
            var duplicates = 0;
            foreach (var body in bodies.Take(Math.Max(1, bodies.Count / 10)))
            {
                duplicates += (await PostAsync(http, body, cancellationToken)).GetProperty("duplicates").GetInt32();
            }

            var check = await CheckTotalsAsync(http, batched.Concat(single).ToList(), app.Services.GetRequiredService<IntervalStore>(), cancellationToken);
            var ingestRate = batched.Count / batchSeconds;
            return new
            {
                source = $"{BankCallEvents.FileName}: {days} days of real calls replayed as events",
                machine = Machine(loadBefore),
                baseline = Baseline(posters, rawUpserts, baseline.PerSecond),
                rawBatchCeiling = new
                {
                    what = "Azurite raw 100-entity Add transactions (one partition each), entities/s: the most the store takes in batches here",
                    workers = posters,
                    entitiesPerSecond = Math.Round(batchCeiling, 0),
                },
                batched = new
                {
                    events = batched.Count,
                    batchSize,
                    posters,
                    seconds = Math.Round(batchSeconds, 2),
                    eventsPerSecond = Math.Round(ingestRate, 0),
                    ratioToRawUpserts = Math.Round(ingestRate / baseline.PerSecond, 2),
                    batchLatencyMs = Percentiles(batchLatencies.SelectMany(l => l)),
                    storageRequests = batchRequests,
                    storageReads = batchReads,
                    storageRequestsPerEvent = Math.Round((double)batchRequests / batched.Count, 4),
                    eventsPerStorageRequest = Math.Round((double)batched.Count / batchRequests, 1),
                },
                single = new
                {
                    events = single.Count,
                    seconds = Math.Round(singleSeconds, 2),
                    eventsPerSecond = Math.Round(single.Count / singleSeconds, 0),
                    latencyMs = Percentiles(singleLatencies),
                    storageRequestsPerEvent = Math.Round((double)singleRequests / single.Count, 2),
                },
                replay = new { resentBatches = Math.Max(1, bodies.Count / 10), duplicatesReported = duplicates },
                totals = check,
                targets = new
                {
                    eventsPerSecondAtLeast2000 = ingestRate >= 2000,
                    singleP99Under50Ms = Percentile(singleLatencies, 0.99) < 50,
                    atMostOneStorageRequestPer10Events = (double)batchRequests / batched.Count <= 0.1,
                },
            };
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static object Machine(string? loadBefore) =>
        new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString, loadAverageBefore = loadBefore, loadAverageAfter = MachineLoad.Read() };

    private static object Baseline(int workers, int upserts, double perSecond) => new
    {
        what = "Azurite raw single-entity UpsertEntity (Replace), same run, same Azurite",
        workers,
        upserts,
        perSecond = Math.Round(perSecond, 0),
    };

    /// <summary>Shift that puts the end of the replayed days one hour before now.</summary>
    private static TimeSpan Shift(DateTimeOffset now, int days, int skipDays)
    {
        var end = new DateTimeOffset(new DateTime(1999, 2, 1).AddDays(skipDays + days), TimeSpan.FromHours(2));
        var target = now.AddHours(-1);

        // Whole days keep the replay's intervals aligned with the data's.
        return TimeSpan.FromDays(Math.Floor((target - end).TotalDays));
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/telephony/events", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /api/telephony/events answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sums the stored intervals of every queue-day touched and compares with the replayed events.</summary>
    private static async Task<object> CheckTotalsAsync(HttpClient http, List<BankCallEvents.Event> events, IntervalStore intervals, CancellationToken cancellationToken)
    {
        var expected = events.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => (long)g.Count());
        long arrivals = 0, answered = 0, abandoned = 0, handled = 0, credited = 0;
        foreach (var (queue, day) in events.Select(e => (e.QueueId, DateOnly.FromDateTime(e.OccurredAt.UtcDateTime))).Distinct())
        {
            credited += (await intervals.GetAgentsOfDayAsync(queue, day, cancellationToken)).Values.SelectMany(v => v).Sum(i => i.HandledCalls);
            var json = await http.GetStringAsync($"/api/queues/{queue}/intervals?date={day:yyyy-MM-dd}", cancellationToken);
            foreach (var i in JsonDocument.Parse(json).RootElement.GetProperty("intervals").EnumerateArray())
            {
                arrivals += i.GetProperty("arrivals").GetInt64();
                answered += i.GetProperty("answered").GetInt64();
                abandoned += i.GetProperty("abandoned").GetInt64();
                handled += i.GetProperty("handledCalls").GetInt64();
            }
        }

        var stored = new { arrivals, answered, abandoned, handled };
        var replayed = new
        {
            arrivals = expected.GetValueOrDefault("call.arrived"),
            answered = expected.GetValueOrDefault("call.answered"),
            abandoned = expected.GetValueOrDefault("call.abandoned"),
            handled = expected.GetValueOrDefault("call.ended"),
        };
        // Ends credited to an agent: the data names the agent on the answer only (never on the end), and NO_SERVER calls none.
        var answeredByAgent = events.Count(e => e.Kind == "call.answered" && e.Json.Contains("\"agentId\"", StringComparison.Ordinal));
        return new { replayed, stored, exact = stored.Equals(replayed), handledCreditedToAgents = credited, answeredNamingAnAgent = answeredByAgent };
    }

    private static async Task<(double PerSecond, int Count)> RawUpsertRateAsync(string connectionString, int count, int workers, CancellationToken cancellationToken)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("benchRawUpserts");
        await table.CreateIfNotExistsAsync(cancellationToken);
        for (var i = 0; i < 50; i++)
        {
            await table.UpsertEntityAsync(new TableEntity("warm", i.ToString(CultureInfo.InvariantCulture)), TableUpdateMode.Replace, cancellationToken);
        }

        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                // A row like an event's dedupe row: partition per queue-interval, a few properties.
                var entity = new TableEntity($"q{i % 6}|19990201|1000|{i % 4:D2}", $"e|raw-{i}")
                {
                    ["Kind"] = "call.arrived",
                    ["OccurredAt"] = DateTimeOffset.UtcNow,
                    ["CallId"] = "c" + i.ToString(CultureInfo.InvariantCulture),
                };
                await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
            }
        }, cancellationToken)));
        return (count / clock.Elapsed.TotalSeconds, count);
    }

    private static async Task<double> RawBatchRateAsync(string connectionString, int transactions, int workers, CancellationToken cancellationToken)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("benchRawBatches");
        await table.CreateIfNotExistsAsync(cancellationToken);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < transactions)
            {
                var partition = "b" + i.ToString(CultureInfo.InvariantCulture);
                var actions = Enumerable.Range(0, 100).Select(r => new TableTransactionAction(TableTransactionActionType.Add,
                    new TableEntity(partition, $"e|raw-{r}") { ["Kind"] = "call.arrived", ["OccurredAt"] = DateTimeOffset.UtcNow, ["CallId"] = "c" + r.ToString(CultureInfo.InvariantCulture) }));
                await table.SubmitTransactionAsync(actions, cancellationToken);
            }
        }, cancellationToken)));
        return transactions * 100 / clock.Elapsed.TotalSeconds;
    }

    internal static object Percentiles(IEnumerable<double> values)
    {
        var list = values.ToList();
        return new
        {
            p50 = Math.Round(Percentile(list, 0.50), 2),
            p90 = Math.Round(Percentile(list, 0.90), 2),
            p99 = Math.Round(Percentile(list, 0.99), 2),
            max = Math.Round(list.Count == 0 ? 0 : list.Max(), 2),
        };
    }

    /// <summary>Nearest-rank percentile.</summary>
    internal static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
