using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallBalancer.DevHost;
using CallBalancer.Integration.Tests.Telephony;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// Azurite is killed in the middle of a run and started again on the same port: while it is down the balancer fails
/// safe (agents service-only with the reason, snapshot and every telephony webhook 503 so the platform retries), and
/// it recovers by itself when it is back: the platform's retries then count every event once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StorageOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "callbalancer-outage-" + Guid.NewGuid().ToString("N"));
    private AzuriteLauncher _azurite = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // Real storage keeps its data through an outage, so this Azurite persists to disk.
        _azurite = await AzuriteLauncher.StartPersistentAsync(_dataDir);
        var port = AzuriteLauncher.FreePort();
        _app = DevHostApplication.Build([$"--urls=http://127.0.0.1:{port}", "--REBALANCE_SCHEDULE=0 0 0 1 1 *"], _azurite.ConnectionString);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private Task<HttpResponseMessage> PostQuietSnapshot() =>
        _http.PostAsync("/api/queues/outage/snapshot", new StringContent(JsonSerializer.Serialize(new
        {
            observedAt = DateTimeOffset.UtcNow,
            waitingCalls = 0,
            oldestWaitSeconds = 0,
            agents = Enumerable.Range(1, 5).Select(i => new { agentId = $"o{i}", state = "available" }),
        }), Encoding.UTF8, "application/json"));

    /// <summary>One callback of each platform, dated now: the generic events endpoint, Twilio, Amazon Connect, Genesys.</summary>
    private static List<(string Path, Func<HttpContent> Body)> Webhooks()
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-5);
        var iso = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            ("/api/telephony/events", () => new StringContent(
                $$"""{"eventId":"outage-1","type":"call.arrived","occurredAt":"{{now:O}}","queueId":"outage","callId":"oc1"}""", Encoding.UTF8, "application/json")),
            ("/api/telephony/twilio", () => new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["EventType"] = "task.created", ["Sid"] = "EVOUT1", ["TimestampMs"] = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["TaskSid"] = "WTOUT1", ["TaskQueueSid"] = "WQOUT1",
            })),
            ("/api/telephony/connect", () => new StringContent(PlatformPayloads.Event("outage-connect-1", "QUEUED", "contact-out-1", iso, enqueued: iso), Encoding.UTF8, "application/json")),
            ("/api/telephony/genesys", () => new StringContent(PlatformPayloads.Notification("outage-genesys", 2, 1500, iso), Encoding.UTF8, "application/json")),
        ];
    }

    [Fact]
    public async Task While_storage_is_down_agents_fail_safe_and_posts_are_503_then_it_recovers_by_itself()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostQuietSnapshot()).StatusCode);
        await _http.PostAsync("/admin/functions/Rebalance", null);
        var before = await _http.GetFromJsonAsync<JsonElement>("/api/agents/o1/mode");
        Assert.Equal("cross-sell", before.GetProperty("mode").GetString());

        _azurite.Stop();

        var down = await _http.GetFromJsonAsync<JsonElement>("/api/agents/o1/mode");
        Assert.Equal("service-only", down.GetProperty("mode").GetString());
        Assert.True(down.GetProperty("failSafe").GetBoolean());
        Assert.Contains("Storage is unreachable", down.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var post = await PostQuietSnapshot();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        foreach (var (path, body) in Webhooks())
        {
            var sent = System.Diagnostics.Stopwatch.StartNew();
            var hook = await _http.PostAsync(path, body());
            Assert.True(hook.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path} answered {(int)hook.StatusCode} while storage was down");
            Assert.Equal("application/problem+json", hook.Content.Headers.ContentType?.MediaType);
            output.WriteLine($"{path}: 503 in {sent.Elapsed.TotalSeconds:F2} s");
        }

        // By now the storage circuit is open: the fail-safe answer no longer waits for the SDK's retries.
        var quick = System.Diagnostics.Stopwatch.StartNew();
        Assert.True((await _http.GetFromJsonAsync<JsonElement>("/api/agents/o1/mode")).GetProperty("failSafe").GetBoolean());
        output.WriteLine($"agent mode fail-safe answer with the circuit open: {quick.Elapsed.TotalSeconds:F3} s");
        Assert.True(quick.Elapsed < TimeSpan.FromSeconds(3), $"the fail-safe answer took {quick.Elapsed.TotalSeconds:F1} s with the circuit open");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync("/api/status")).StatusCode);

        await _azurite.RestartAsync();
        var back = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await _http.GetAsync("/api/status")).StatusCode;
        }
        while (status != HttpStatusCode.OK && back.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, status);
        output.WriteLine($"status 200 again {back.Elapsed.TotalSeconds:F2} s after storage came back");

        // The platforms retry what was refused: every callback is taken now, and counted once.
        foreach (var (path, body) in Webhooks())
        {
            var hook = await _http.PostAsync(path, body());
            Assert.True(hook.IsSuccessStatusCode, $"{path} answered {(int)hook.StatusCode} after storage came back");
        }

        var arrivals = await _http.GetFromJsonAsync<JsonElement>($"/api/queues/outage/intervals?date={DateTimeOffset.UtcNow.AddSeconds(-5):yyyy-MM-dd}");
        Assert.Equal(1, arrivals.GetProperty("intervals").EnumerateArray().Sum(i => i.GetProperty("arrivals").GetInt64()));
        Assert.Equal(HttpStatusCode.Accepted, (await PostQuietSnapshot()).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("/admin/functions/Rebalance", null)).StatusCode);
        var after = await _http.GetFromJsonAsync<JsonElement>("/api/agents/o1/mode");
        Assert.Equal("cross-sell", after.GetProperty("mode").GetString());
        Assert.False(after.GetProperty("failSafe").GetBoolean());
    }
}
