using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallBalancer.DevHost;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>The telephony routes through the dev host over real HTTP.</summary>
public sealed class TelephonyDevHostTests(AzuriteFixture azurite) : TelephonyTestBase(azurite), IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
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

    [Fact]
    public async Task A_batch_posted_over_http_shows_in_the_intervals_and_a_snapshot_event_in_the_rebalance()
    {
        var at = Time.GetUtcNow().AddMinutes(-1);
        var body = Batch([
            EventJson("h1", "call.arrived", at, callId: "c1"),
            EventJson("h2", "call.answered", at.AddSeconds(8), callId: "c1"),
            EventJson("h3", "queue.snapshot", at.AddSeconds(9), callId: null,
                extra: ",\"waitingCalls\":0,\"oldestWaitSeconds\":0,\"agents\":[{\"agentId\":\"a1\",\"state\":\"available\"},{\"agentId\":\"a2\",\"state\":\"available\"},{\"agentId\":\"a3\",\"state\":\"available\"}]"),
        ]);
        var post = await _http.PostAsync("/api/telephony/events", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(3, (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());

        var day = await _http.GetFromJsonAsync<JsonElement>($"/api/queues/cards/intervals?date={at.UtcDateTime:yyyy-MM-dd}");
        var intervals = day.GetProperty("intervals").EnumerateArray().ToList();
        Assert.Equal(96, intervals.Count);
        Assert.Equal(1, intervals.Sum(i => i.GetProperty("arrivals").GetInt64()));
        Assert.Equal(1, intervals.Sum(i => i.GetProperty("answeredWithinTarget").GetInt64()));

        // The snapshot event reached the store the rebalance reads: with 3 idle agents and the default reserve of 2, one cross-sells.
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("/admin/functions/Rebalance", null)).StatusCode);
        var modes = new List<string>();
        foreach (var agent in new[] { "a1", "a2", "a3" })
        {
            modes.Add((await _http.GetFromJsonAsync<JsonElement>($"/api/agents/{agent}/mode")).GetProperty("mode").GetString()!);
        }

        Assert.Equal(1, modes.Count(m => m == "cross-sell"));
    }

    [Fact]
    public async Task Twilio_callbacks_are_accepted_unsigned_in_the_dev_host_when_no_token_is_configured()
    {
        var ms = Time.GetUtcNow().AddSeconds(-5).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["EventType"] = "task.created", ["Sid"] = "EV900", ["TimestampMs"] = ms, ["TaskSid"] = "WT900", ["TaskQueueSid"] = "WQ900",
        });
        var response = await _http.PostAsync("/api/telephony/twilio", form);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var bad = await _http.PostAsync("/api/telephony/events", new StringContent("{\"events\":[{\"eventId\":\"x\"}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("events[0].type", out _));
    }
}
