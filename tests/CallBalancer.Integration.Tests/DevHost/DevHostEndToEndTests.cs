using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallBalancer.DevHost;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallBalancer.Integration.Tests.DevHost;

/// <summary>Through the dev host over real HTTP: post a snapshot, run the rebalance, read the mode.</summary>
public sealed class DevHostEndToEndTests(AzuriteFixture azurite) : StorageTestBase(azurite), IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        var port = AzuriteLauncher.FreePort();
        _app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", $"--CallBalancer:Storage:TablePrefix={Prefix}", "--REBALANCE_SCHEDULE=0 0 0 1 1 *"],
            Azurite.ConnectionString,
            b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await DisposeAsync();
    }

    private Task<HttpResponseMessage> PostSnapshot(int waiting, double oldest, string state, int agents = 5) =>
        _http.PostAsync("/api/queues/cards/snapshot", new StringContent(JsonSerializer.Serialize(new
        {
            observedAt = Time.GetUtcNow(),
            waitingCalls = waiting,
            oldestWaitSeconds = oldest,
            agents = Enumerable.Range(1, agents).Select(i => new { agentId = $"a{i}", state }),
        }), Encoding.UTF8, "application/json"));

    private async Task<string[]> ModesAsync(int agents = 5)
    {
        var modes = new List<string>();
        for (var i = 1; i <= agents; i++)
        {
            var body = await _http.GetFromJsonAsync<JsonElement>($"/api/agents/a{i}/mode");
            modes.Add(body.GetProperty("mode").GetString()!);
        }

        return [.. modes];
    }

    [Fact]
    public async Task Quiet_queue_cross_sells_then_a_long_wait_brings_everyone_back_to_service()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostSnapshot(0, 0, "available")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("/admin/functions/Rebalance", null)).StatusCode);
        var quiet = await ModesAsync();
        Assert.Equal(3, quiet.Count(m => m == "cross-sell"));

        Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.Accepted, (await PostSnapshot(2, 90, "on-call")).StatusCode);
        await _http.PostAsync("/admin/functions/Rebalance", null);
        Assert.All(await ModesAsync(), m => Assert.Equal("service-only", m));
    }

    [Fact]
    public async Task Problem_details_travel_over_http_with_their_status_and_content_type()
    {
        var bad = await _http.PostAsync("/api/queues/cards/snapshot", new StringContent("{\"waitingCalls\":-3}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("waitingCalls", out _));

        var unknown = await _http.GetAsync("/api/agents/nobody/mode");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_timer_runs_the_rebalance_on_its_schedule()
    {
        // The scheduler ticks on the injected clock: moving fake time past the next occurrence runs the function.
        await PostSnapshot(0, 0, "available");
        var runs = Runs;
        Time.Advance(TimeSpan.FromDays(400));
        await PostSnapshot(0, 0, "available");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await runs.GetLastRebalanceAsync()) is null && DateTime.UtcNow < deadline)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.NotNull(await runs.GetLastRebalanceAsync());
    }
}
