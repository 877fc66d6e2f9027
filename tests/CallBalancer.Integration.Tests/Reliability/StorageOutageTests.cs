using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallBalancer.DevHost;
using Microsoft.AspNetCore.Builder;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// Azurite is killed in the middle of a run and started again on the same port: while it is down the balancer fails
/// safe (agents service-only, snapshot posts 503 so the platform retries), and it recovers by itself when it is back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "callbalancer-outage-" + Guid.NewGuid().ToString("N"));
    private AzuriteLauncher _azurite = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // Real storage keeps its data through an outage, so this Azurite persists to disk.
        _azurite = await AzuriteLauncher.StartPersistentAsync(_dataDir);
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
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
        var post = await PostQuietSnapshot();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync("/api/status")).StatusCode);

        await _azurite.RestartAsync();
        var back = DateTime.UtcNow;
        HttpStatusCode status;
        do
        {
            status = (await _http.GetAsync("/api/status")).StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow - back < TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostQuietSnapshot()).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("/admin/functions/Rebalance", null)).StatusCode);
        var after = await _http.GetFromJsonAsync<JsonElement>("/api/agents/o1/mode");
        Assert.Equal("cross-sell", after.GetProperty("mode").GetString());
        Assert.False(after.GetProperty("failSafe").GetBoolean());
    }
}
