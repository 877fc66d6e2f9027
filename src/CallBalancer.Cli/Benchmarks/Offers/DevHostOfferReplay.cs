using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CallBalancer.Core.Offers;
using CallBalancer.DevHost;
using CallBalancer.Storage;
using CallBalancer.Storage.Offers;
using Microsoft.Extensions.DependencyInjection;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>
/// The same replay over HTTP through the dev host on Azurite: the desktop's GET offers and POST outcome, concurrently.
/// Answers are stamped with the wall clock (the API refuses future instants and the replay runs in minutes), so the
/// contact window is exercised harder than by the month-long source. Baselines in the same run: a raw point read on the
/// same Azurite with the same concurrency, just before and just after the replay (the storage floor of any request), and
/// GET agent mode through the dev host (the thinnest desktop read). Storage requests are counted per function.
/// </summary>
internal static class DevHostOfferReplay
{
    private const string Queue = "bank";

    public static async Task<object> RunAsync(IReadOnlyList<ReplayCall> calls, IReadOnlyDictionary<string, CustomerProfile> profiles, int concurrency,
        TextWriter progress, CancellationToken cancellationToken)
    {
        await using var azurite = await AzuriteLauncher.StartAsync(persist: false, progress.WriteLine, cancellationToken);
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var port = AzuriteLauncher.FreePort();
        var storageCounts = new PerRequestStorageCounter();
        var app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", $"--CallBalancer:Storage:TablePrefix={prefix}", "--CallBalancer:DevAuth:Enabled=true",
             "--CallBalancer:Balancing:MinDwellSeconds=0", // agents start service-only; let the first rebalance flip them
             "--Logging:LogLevel:Default=Warning"],
            azurite.ConnectionString,
            b =>
            {
                b.Services.AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(storageCounts);
                b.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(storageCounts);
            });
        await app.StartAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        // What App Service authentication would inject for a supervisor (trusted here: DevAuth is on for this dev host).
        var supervisor = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\":[{\"typ\":\"roles\",\"val\":\"supervisor\"}]}"));
        var agents = calls.Select(c => c.AgentId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        try
        {
            // The queue is quiet, so the balancer puts its agents in cross-sell; keep the snapshot fresh while replaying.
            await PostSnapshotAsync(http, agents, cancellationToken);
            (await http.PostAsync("/admin/functions/Rebalance", null, cancellationToken)).EnsureSuccessStatusCode();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var keepFresh = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(20), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    if (!stop.IsCancellationRequested)
                    {
                        await PostSnapshotAsync(http, agents, CancellationToken.None);
                    }
                }
            }, CancellationToken.None);

            var csv = new StringBuilder("customerId,tier,tenureMonths,holdings,monthlySpending\n");
            foreach (var p in calls.Select(c => c.CustomerId).Distinct(StringComparer.Ordinal).Select(profiles.GetValueOrDefault).Where(p => p is not null))
            {
                csv.Append(CultureInfo.InvariantCulture, $"{p!.CustomerId},{p.Tier.ToName()},{p.TenureMonths},{string.Join(';', p.Holdings)},")
                    .AppendLine(string.Join(';', p.MonthlySpending.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}:{s.Value}"))));
            }

            using (var import = new HttpRequestMessage(HttpMethod.Post, "/api/customers/import") { Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv") })
            {
                import.Headers.Add("X-MS-CLIENT-PRINCIPAL", supervisor);
                using var imported = await http.SendAsync(import, cancellationToken);
                if (!imported.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Profile import failed: {await imported.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }

            // Warm-up (JIT, connections, table creation), not measured.
            foreach (var c in calls.Take(20))
            {
                await http.GetAsync($"/api/agents/{c.AgentId}/mode", cancellationToken);
                await http.GetAsync($"/api/agents/{c.AgentId}/offers?customerId=warmup-{c.CustomerId}&reason=general", cancellationToken);
            }

            var rawBefore = await RawPointReadsAsync(azurite.ConnectionString, calls.Count, concurrency, cancellationToken);
            var offerLatency = new ConcurrentQueue<double>();
            var modeLatency = new ConcurrentQueue<double>();
            var statuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var tally = new ConcurrentDictionary<string, (int Offers, int Accepts, decimal Credit)>(StringComparer.Ordinal);
            var customersTouched = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var listSizes = new ConcurrentQueue<int>();
            var started = DateTimeOffset.UtcNow;
            var cpuBefore = (Host: Process.GetCurrentProcess().TotalProcessorTime, Azurite: azurite.ProcessorTime);
            var sw = Stopwatch.StartNew();
            await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (call, ct) =>
            {
                var t0 = Stopwatch.GetTimestamp();
                using (var mode = await http.GetAsync($"/api/agents/{call.AgentId}/mode", ct))
                {
                    modeLatency.Enqueue(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }

                t0 = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync($"/api/agents/{call.AgentId}/offers?customerId={call.CustomerId}&reason={call.Reason.ToCode()}", ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                offerLatency.Enqueue(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Count(statuses, $"offers {(int)response.StatusCode}");
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return;
                }

                using var doc = JsonDocument.Parse(body);
                var offers = doc.RootElement.GetProperty("offers");
                listSizes.Enqueue(offers.GetArrayLength());
                if (offers.GetArrayLength() == 0)
                {
                    Count(statuses, "no offer: " + doc.RootElement.GetProperty("mode").GetString());
                    return;
                }

                customersTouched[call.CustomerId] = true;
                var offerId = offers[0].GetProperty("offerId").GetString()!;
                var productId = offers[0].GetProperty("productId").GetString()!;
                var profile = profiles.GetValueOrDefault(call.CustomerId) ?? CustomerProfile.Generic(call.CustomerId);
                var outcome = SimulatedCustomer.Answer(call, productId, profile);
                var (status, credit) = await PostOutcomeAsync(http, offerId, outcome, call, ct);
                Count(statuses, $"outcome {status}");
                if (status == "recorded")
                {
                    tally.AddOrUpdate(call.AgentId, _ => (1, outcome == OfferOutcome.Accepted ? 1 : 0, credit),
                        (_, t) => (t.Offers + 1, t.Accepts + (outcome == OfferOutcome.Accepted ? 1 : 0), t.Credit + credit));
                    if (outcome == OfferOutcome.Accepted && SimulatedCustomer.Reverses(call, productId))
                    {
                        var (reversal, minus) = await PostOutcomeAsync(http, offerId, OfferOutcome.Reversed, call, ct);
                        Count(statuses, $"reversal {reversal}");
                        if (reversal == "recorded")
                        {
                            tally.AddOrUpdate(call.AgentId, _ => (0, -1, minus), (_, t) => (t.Offers, t.Accepts - 1, t.Credit + minus));
                        }
                    }
                }
            });
            var seconds = sw.Elapsed.TotalSeconds;
            var cpuAfter = (Host: Process.GetCurrentProcess().TotalProcessorTime, Azurite: azurite.ProcessorTime);
            var rawAfter = await RawPointReadsAsync(azurite.ConnectionString, calls.Count, concurrency, cancellationToken);
            await stop.CancelAsync();
            await keepFresh;

            // Audit from storage: every customer's recorded answers, and every agent's KPI through the API.
            var tables = new CallBalancerTables(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix });
            var histories = new ContactHistoryStore(tables);
            var policy = ContactPolicy.Default;
            int violators = 0, maxInWindow = 0, recordedInStorage = 0;
            foreach (var customer in customersTouched.Keys)
            {
                var (h, _) = await histories.GetHistoryAsync(customer, cancellationToken);
                // An opt-out is recorded even past the limit (OutcomeRecorder): the limit is on the other answers.
                var m = policy.MaxInAnyWindow(h.Records.Where(r => r.Outcome != OfferOutcome.DoNotOfferAgain).Select(r => r.OccurredAt));
                recordedInStorage += h.Records.Count;
                maxInWindow = Math.Max(maxInWindow, m);
                violators += m > policy.MaxOffers ? 1 : 0;
            }

            // The calls' telephony events (not timed): each answer names its agent, each end only its handle time, so the
            // calls are credited through the answers. Ends fall in the half hour before the replay started.
            var handled = await PostCallEventsAsync(http, calls, started, cancellationToken);

            int kpiChecks = 0, kpiMismatches = 0, callFactMismatches = 0;
            var from = Uri.EscapeDataString(started.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
            var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture));
            foreach (var agent in agents)
            {
                var report = JsonDocument.Parse(await http.GetStringAsync($"/api/agents/{agent}/kpi?from={from}&to={to}", cancellationToken)).RootElement;
                var expected = tally.GetValueOrDefault(agent);
                kpiChecks++;
                if (report.GetProperty("offersMade").GetInt32() != expected.Offers || report.GetProperty("acceptances").GetInt32() != expected.Accepts
                    || Math.Abs(report.GetProperty("weightedCredit").GetDouble() - (double)expected.Credit) > 1e-6)
                {
                    kpiMismatches++;
                }

                var (callCount, handleSeconds) = handled.GetValueOrDefault(agent);
                var aht = report.GetProperty("averageHandleSeconds");
                if (report.GetProperty("callsHandled").GetInt32() != callCount
                    || (callCount > 0 && Math.Abs(aht.GetDouble() - (handleSeconds / callCount)) > 0.051))
                {
                    callFactMismatches++;
                }
            }

            // The queue report (supervisor): every offer made in the queue and every call it handled.
            using var queueRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/queues/{Queue}/kpi?from={from}&to={to}");
            queueRequest.Headers.Add("X-MS-CLIENT-PRINCIPAL", supervisor);
            using var queueResponse = await http.SendAsync(queueRequest, cancellationToken);
            var queueReport = JsonDocument.Parse(await queueResponse.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            var queueMatches = queueResponse.IsSuccessStatusCode
                && queueReport.GetProperty("offersMade").GetInt32() == tally.Values.Sum(t => t.Offers)
                && queueReport.GetProperty("acceptances").GetInt32() == tally.Values.Sum(t => t.Accepts)
                && queueReport.GetProperty("callsHandled").GetInt32() == calls.Count
                && queueReport.GetProperty("callsWithoutAgent").GetInt32() == 0;

            foreach (var name in tables.Names.All)
            {
                await tables.Service.DeleteTableAsync(name, cancellationToken);
            }

            await tables.Service.DeleteTableAsync("benchRawReads", cancellationToken);

            var p95Offers = Percentiles.P95(offerLatency.ToList());
            var p95Mode = Percentiles.P95(modeLatency.ToList());
            var raw = rawBefore.Concat(rawAfter).ToList();
            var p95Raw = Percentiles.P95(raw);
            return new
            {
                calls = calls.Count,
                concurrency,
                seconds = Math.Round(seconds, 2),
                callsPerSecond = Math.Round(calls.Count / seconds, 1),
                statuses = statuses.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
                listSize = listSizes.IsEmpty ? null : new { min = listSizes.Min(), max = listSizes.Max(), nonEmptyMin = listSizes.Where(n => n > 0).DefaultIfEmpty().Min() },
                offersLatency = Percentiles.Of(offerLatency.ToList(), "milliseconds"),
                baselineRawPointRead = new
                {
                    what = $"one Azure.Data.Tables point read on the same Azurite, {concurrency} at a time, {calls.Count} just before and {calls.Count} just after the replay",
                    latency = Percentiles.Of(raw, "milliseconds"),
                    p95Before = Math.Round(Percentiles.P95(rawBefore), 3),
                    p95After = Math.Round(Percentiles.P95(rawAfter), 3),
                },
                offersP95RatioToRawPointRead = Math.Round(p95Offers / p95Raw, 2),
                baselineAgentModeLatency = Percentiles.Of(modeLatency.ToList(), "milliseconds"),
                offersP95RatioToAgentMode = Math.Round(p95Offers / p95Mode, 3),
                storageRequestsPerHttpRequest = storageCounts.PerRequest(),
                cpuMillisecondsPerCall = new
                {
                    what = "CPU time per replayed call (mode read, offers, answer): this process (desktop client, dev host, Table SDK) and the Azurite process",
                    hostAndClient = Math.Round((cpuAfter.Host - cpuBefore.Host).TotalMilliseconds / calls.Count, 3),
                    azurite = Math.Round((cpuAfter.Azurite - cpuBefore.Azurite).TotalMilliseconds / calls.Count, 3),
                },
                contactPolicyViolations = new { customers = violators, maxOffersInAnyWindow = maxInWindow, customersAudited = customersTouched.Count, recordedInStorage },
                kpiReconciliation = new
                {
                    what = "each agent's GET kpi against a tally of the answers recorded (offers, acceptances, credit) and of the call events posted (calls handled, AHT); the queue's against their sums",
                    agents = kpiChecks,
                    mismatches = kpiMismatches,
                    callFactMismatches,
                    callEventsPosted = calls.Count * 2,
                    queueReportMatches = queueMatches,
                },
                targetOffersP95Under50Ms = p95Offers < 50,
            };
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// Posts each call's <c>call.answered</c> (naming the agent) and then its <c>call.ended</c> (handle time only) in
    /// batches of 100; returns the calls and handle seconds per agent that the KPI should then show.
    /// </summary>
    private static async Task<Dictionary<string, (int Calls, double Seconds)>> PostCallEventsAsync(
        HttpClient http, IReadOnlyList<ReplayCall> calls, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var expected = new Dictionary<string, (int Calls, double Seconds)>(StringComparer.Ordinal);
        var answers = new List<string>(calls.Count);
        var ends = new List<string>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            var c = calls[i];
            var handle = Math.Clamp(c.ServiceSeconds, 0, 3600);
            var endedAt = started.AddMinutes(-30).AddSeconds(i % 1800);
            var callId = $"{c.CallId}-{i}";
            answers.Add(JsonSerializer.Serialize(new { eventId = callId + "-b", type = "call.answered", occurredAt = endedAt.AddSeconds(-handle), queueId = Queue, callId, agentId = c.AgentId }));
            ends.Add(JsonSerializer.Serialize(new { eventId = callId + "-c", type = "call.ended", occurredAt = endedAt, queueId = Queue, callId, handleSeconds = handle }));
            var (n, seconds) = expected.GetValueOrDefault(c.AgentId);
            expected[c.AgentId] = (n + 1, seconds + handle);
        }

        foreach (var batch in answers.Chunk(100).Concat(ends.Chunk(100)))
        {
            using var content = new StringContent("{\"events\":[" + string.Join(',', batch) + "]}", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/api/telephony/events", content, cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        return expected;
    }

    /// <summary>Latencies of raw point reads of one existing entity, <paramref name="concurrency"/> at a time.</summary>
    private static async Task<List<double>> RawPointReadsAsync(string connectionString, int count, int concurrency, CancellationToken cancellationToken)
    {
        var table = new Azure.Data.Tables.TableServiceClient(connectionString).GetTableClient("benchRawReads");
        await table.CreateIfNotExistsAsync(cancellationToken);
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("agent", "queue") { ["QueueId"] = Queue }, cancellationToken: cancellationToken);
        var latencies = new ConcurrentQueue<double>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (_, ct) =>
            {
                var t0 = Stopwatch.GetTimestamp();
                await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("agent", "queue", cancellationToken: ct);
                latencies.Enqueue(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            });
        return [.. latencies];
    }

    private static async Task<(string Status, decimal Credit)> PostOutcomeAsync(HttpClient http, string offerId, OfferOutcome outcome, ReplayCall call, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new { outcome = outcome.ToName(), agentId = call.AgentId, customerId = call.CustomerId, occurredAt = DateTimeOffset.UtcNow });
        using var response = await http.PostAsync($"/api/offers/{offerId}/outcome", new StringContent(json, Encoding.UTF8, "application/json"), ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return response.StatusCode switch
        {
            HttpStatusCode.OK => (doc.RootElement.GetProperty("status").GetString()!, doc.RootElement.GetProperty("status").GetString() == "recorded"
                ? (decimal)doc.RootElement.GetProperty("credit").GetDouble() : 0m),
            HttpStatusCode.Conflict => (doc.RootElement.TryGetProperty("code", out var code) ? code.GetString()! : "409", 0m),
            var s => (((int)s).ToString(CultureInfo.InvariantCulture), 0m),
        };
    }

    private static async Task PostSnapshotAsync(HttpClient http, IReadOnlyList<string> agents, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new
        {
            observedAt = DateTimeOffset.UtcNow,
            waitingCalls = 0,
            oldestWaitSeconds = 0,
            agents = agents.Select(a => new { agentId = a, state = "available" }),
        });
        (await http.PostAsync($"/api/queues/{Queue}/snapshot", new StringContent(json, Encoding.UTF8, "application/json"), ct)).EnsureSuccessStatusCode();
    }

    private static void Count(ConcurrentDictionary<string, int> counts, string key) => counts.AddOrUpdate(key, 1, (_, n) => n + 1);
}
