using System.Text.Json;
using CallBalancer.Functions;
using CallBalancer.Functions.Balancing;
using CallBalancer.Functions.Status;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Functions;

public sealed class AgentModeAndStatusFunctionTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private AgentModeFunction ModeFunction(CallBalancerTables? tables = null, RebalanceFreshness? freshness = null)
    {
        tables ??= Tables;
        return new AgentModeFunction(new AgentModeStore(tables), freshness ?? new RebalanceFreshness(new RunStore(tables), Time),
            Microsoft.Extensions.Options.Options.Create(new BalancingOptions()), NullLogger<AgentModeFunction>.Instance);
    }

    private async Task RunRebalanceTimerAsync() =>
        await new RebalanceTimerFunction(
                new RebalanceService(Snapshots, Rebalancer(), Runs, Time),
                Microsoft.Extensions.Options.Options.Create(new RebalanceOptions()),
                new StorageRebalanceWorkQueue(Options, "unused"),
                NullLogger<RebalanceTimerFunction>.Instance)
            .RunAsync(new TimerInfo());

    [Fact]
    public async Task After_a_snapshot_and_the_timer_an_agent_reads_its_mode_and_why()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await RunRebalanceTimerAsync();
        var result = await ModeFunction().RunAsync(Requests.Get(), "cards-agent0000");
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        Assert.Equal("cards", body.GetProperty("queueId").GetString());
        Assert.Equal("cross-sell", body.GetProperty("mode").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("reason").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("decisionId").GetString()));
        Assert.False(body.GetProperty("failSafe").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_agent_is_404_problem_details()
    {
        Assert.Equal(404, Requests.Status(await ModeFunction().RunAsync(Requests.Get(), "ghost")));
        Assert.Equal(400, Requests.Status(await ModeFunction().RunAsync(Requests.Get(), "bad?id")));
    }

    [Fact]
    public async Task Cross_sell_fails_safe_to_service_only_when_the_balancer_has_stopped()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await RunRebalanceTimerAsync();

        // The same instance throughout: what it remembers of the last run must not hide that the balancer stopped.
        var function = ModeFunction();
        Assert.Equal("cross-sell", Requests.Body(await function.RunAsync(Requests.Get(), "cards-agent0000")).GetProperty("mode").GetString());
        Time.Advance(TimeSpan.FromMinutes(5));
        var body = Requests.Body(await function.RunAsync(Requests.Get(), "cards-agent0000"));
        Assert.Equal("service-only", body.GetProperty("mode").GetString());
        Assert.True(body.GetProperty("failSafe").GetBoolean());
        Assert.Contains("rebalance", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task When_storage_is_unreachable_the_mode_answer_is_service_only_and_says_why()
    {
        var dead = new CallBalancerTables(new StorageOptions { ConnectionString = DeadStorage(), TablePrefix = Prefix });
        var result = await ModeFunction(dead).RunAsync(Requests.Get(), "cards-agent0000");
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        Assert.Equal("service-only", body.GetProperty("mode").GetString());
        Assert.Contains("unreachable", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Status_reports_storage_and_the_last_rebalance()
    {
        var status = new StatusFunction(Tables, Runs, Time, NullLogger<StatusFunction>.Instance);
        var before = Requests.Body(await status.RunAsync(Requests.Get()));
        Assert.Equal(JsonValueKind.Null, before.GetProperty("lastRebalance").ValueKind);

        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 3));
        await RunRebalanceTimerAsync();
        var result = await status.RunAsync(Requests.Get());
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        Assert.True(body.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.Equal(1, body.GetProperty("lastRebalance").GetProperty("queues").GetInt32());
    }

    [Fact]
    public async Task Status_is_503_when_storage_is_unreachable()
    {
        var dead = new CallBalancerTables(new StorageOptions { ConnectionString = DeadStorage(), TablePrefix = Prefix });
        var result = await new StatusFunction(dead, new RunStore(dead), Time, NullLogger<StatusFunction>.Instance).RunAsync(Requests.Get());
        Assert.Equal(503, Requests.Status(result));
        Assert.False(Requests.Body(result).GetProperty("storage").GetProperty("reachable").GetBoolean());
    }

    private static string DeadStorage()
    {
        // A port nobody listens on: connection refused at once.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }
}
