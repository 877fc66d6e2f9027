using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// The sustained mode of <c>bench ingest</c> (<c>--sustained SECONDS --rate EVENTS_PER_S [--batch N]</c>): a fixed
/// offered load for a fixed time through the dev host. Open loop: batch <c>i</c> is due at <c>i × batch / rate</c>
/// seconds and is sent then whether or not earlier ones have been answered (up to a cap of requests in flight), so a
/// slow server shows up as latency and a lower achieved rate instead of quietly lowering the offered load. Latency is
/// measured from the due time (queueing in the client included: no coordinated omission), per second and overall.
/// </summary>
internal static class SustainedIngest
{
    private const int MaxInFlight = 64;

    public static async Task<object> RunAsync(
        HttpClient http, IReadOnlyList<BankCallEvents.Event> events, int seconds, int rate, int batchSize, TextWriter progress, CancellationToken cancellationToken)
    {
        var bodies = events.Chunk(batchSize).Select(c => (Count: c.Length, Body: "{\"events\":[" + string.Join(',', c.Select(e => e.Json)) + "]}")).ToList();
        var interval = TimeSpan.FromSeconds((double)batchSize / rate);
        var samples = new Sample[bodies.Count];
        using var slots = new SemaphoreSlim(MaxInFlight);
        var inFlight = new List<Task>(bodies.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < bodies.Count; i++)
        {
            var due = interval * i;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            await slots.WaitAsync(cancellationToken);
            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                var sent = clock.Elapsed;
                try
                {
                    var (status, accepted) = await PostAsync(http, bodies[index].Body, cancellationToken);
                    samples[index] = new Sample(due, sent, clock.Elapsed, bodies[index].Count, status, accepted);
                }
                catch (HttpRequestException)
                {
                    // No answer at all (connection refused or reset): an error, status 0.
                    samples[index] = new Sample(due, sent, clock.Elapsed, bodies[index].Count, 0, 0);
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
            if (i % 200 == 0 && i > 0)
            {
                progress.WriteLine($"ingest: sustained {due.TotalSeconds:F0} s, {inFlight.Count(t => !t.IsCompleted)} requests in flight");
            }
        }

        await Task.WhenAll(inFlight);
        var wall = clock.Elapsed.TotalSeconds;
        var ok = samples.Where(s => s.Status == HttpStatusCode.OK).ToList();
        var perSecond = samples.GroupBy(s => (int)s.Due.TotalSeconds).OrderBy(g => g.Key).Select(g => new
        {
            second = g.Key,
            eventsOffered = g.Sum(s => s.Events),
            eventsAnswered = g.Where(s => s.Status == HttpStatusCode.OK).Sum(s => s.Events),
            p50Ms = Math.Round(IngestBenchmark.Percentile(g.Select(s => s.FromDueMs).ToList(), 0.50), 1),
            p99Ms = Math.Round(IngestBenchmark.Percentile(g.Select(s => s.FromDueMs).ToList(), 0.99), 1),
        }).ToList();
        var completions = ok.GroupBy(s => (int)s.Done.TotalSeconds).Select(g => g.Sum(s => s.Events)).ToList();
        return new
        {
            offered = new { seconds, eventsPerSecond = rate, batchSize, requestsPerSecond = Math.Round((double)rate / batchSize, 1), maxInFlight = MaxInFlight },
            events = events.Count,
            requests = samples.Length,
            errors = samples.Count(s => s.Status != HttpStatusCode.OK),
            errorStatuses = samples.Where(s => s.Status != HttpStatusCode.OK).GroupBy(s => (int)s.Status).ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => g.Count()),
            accepted = ok.Sum(s => s.Accepted),
            wallSeconds = Math.Round(wall, 2),
            achievedEventsPerSecond = Math.Round(ok.Sum(s => s.Events) / wall, 0),
            completedPerSecond = new
            {
                min = completions.Count == 0 ? 0 : completions.Min(),
                median = completions.Count == 0 ? 0 : completions.Order().ElementAt(completions.Count / 2),
                max = completions.Count == 0 ? 0 : completions.Max(),
            },
            latencyFromDueMs = IngestBenchmark.Percentiles(samples.Select(s => s.FromDueMs)),
            serviceTimeMs = IngestBenchmark.Percentiles(samples.Select(s => s.ServiceMs)),
            worstSecondP99Ms = perSecond.Count == 0 ? 0 : perSecond.Max(s => s.p99Ms),
            perSecond,
        };
    }

    private static async Task<(HttpStatusCode Status, int Accepted)> PostAsync(HttpClient http, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/telephony/events", content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, 0);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (response.StatusCode, json.RootElement.GetProperty("accepted").GetInt32());
    }

    private sealed record Sample(TimeSpan Due, TimeSpan Sent, TimeSpan Done, int Events, HttpStatusCode Status, int Accepted)
    {
        public double FromDueMs => (Done - Due).TotalMilliseconds;

        public double ServiceMs => (Done - Sent).TotalMilliseconds;
    }
}
