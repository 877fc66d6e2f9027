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
    private AgentModeFunction ModeFunction(CallBalancerTables? tables = null)
    {
        tables ??= Tables;
        return new AgentModeFunction(new AgentModeStore(tables), new LastRebalanceCache(new RunStore(tables), Time),
            Microsoft.Extensions.Options.Options.Create(new BalancingOptions()), Time, NullLogger<AgentModeFunction>.Instance);
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
        Time.Advance(TimeSpan.FromMinutes(5));
        var body = Requests.Body(await ModeFunction().RunAsync(Requests.Get(), "cards-agent0000"));
        Assert.Equal("service-only", body.GetProperty("mode").GetString());
        Assert.True(body.GetProperty("failSafe").GetBoolean());
        Assert.Contains("rebalance", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Desktop_polls_read_the_last_run_only_for_cross_sell_agents_and_at_most_once_per_five_seconds()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await RunRebalanceTimerAsync();
        var log = new Console.TableRequestLog();
        var counted = new CallBalancerTables(Options, o => o.AddPolicy(log, Azure.Core.HttpPipelinePosition.PerCall));
        var function = ModeFunction(counted);
        var modes = (await Modes.GetQueueModesAsync("cards")).ToDictionary(m => m.State.AgentId, m => m.State.Mode);
        var crossSell = modes.First(m => m.Value == Core.Balancing.AgentMode.CrossSell).Key;
        var serviceOnly = modes.First(m => m.Value == Core.Balancing.AgentMode.ServiceOnly).Key;
        int RunReads() => log.Requests.Count(r => r.Method == "GET" && r.Table == Prefix + "Runs");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("service-only", Requests.Body(await function.RunAsync(Requests.Get(), serviceOnly)).GetProperty("mode").GetString());
        }

        Assert.Equal(0, RunReads());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("cross-sell", Requests.Body(await function.RunAsync(Requests.Get(), crossSell)).GetProperty("mode").GetString());
        }

        Assert.Equal(1, RunReads());
        Time.Advance(LastRebalanceCache.FreshFor);
        await function.RunAsync(Requests.Get(), crossSell);
        Assert.Equal(2, RunReads());

        // Once the balancer has stopped, the cached run is not trusted: the answer fails safe.
        Time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(Requests.Body(await function.RunAsync(Requests.Get(), crossSell)).GetProperty("failSafe").GetBoolean());
    }

    [Fact]
    public async Task When_storage_is_unreachable_the_mode_answer_is_service_only_and_says_why()
    {
        var dead = new CallBalancerTables(new StorageOptions { ConnectionString = UnreachableStorage.ConnectionString(), TablePrefix = Prefix });
        var result = await ModeFunction(dead).RunAsync(Requests.Get(), "cards-agent0000");
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        Assert.Equal("service-only", body.GetProperty("mode").GetString());
        Assert.Contains("unreachable", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Status_reports_storage_and_the_last_rebalance()
    {
        var status = Status(Tables);
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
        var dead = new CallBalancerTables(new StorageOptions { ConnectionString = UnreachableStorage.ConnectionString(), TablePrefix = Prefix });
        var result = await Status(dead).RunAsync(Requests.Get());
        Assert.Equal(503, Requests.Status(result));
        Assert.False(Requests.Body(result).GetProperty("storage").GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task With_the_fan_out_on_status_reports_the_work_queue_and_is_503_when_it_is_unreachable()
    {
        await using var queueService = await CallBalancer.DevHost.AzuriteLauncher.StartQueueServiceAsync();
        var queue = new StorageRebalanceWorkQueue(new StorageOptions { ConnectionString = queueService.ConnectionString }, "status-work");
        await queue.EnqueueAsync(new RebalanceWorkItem("r1", Time.GetUtcNow(), ["q1"]));
        await queue.EnqueueAsync(new RebalanceWorkItem("r1", Time.GetUtcNow(), ["q2"]));

        var off = Requests.Body(await Status(Tables, queue, workQueueName: null).RunAsync(Requests.Get()));
        Assert.Equal(JsonValueKind.Null, off.GetProperty("workQueue").ValueKind);

        var on = await Status(Tables, queue, "status-work").RunAsync(Requests.Get());
        Assert.Equal(200, Requests.Status(on));
        var workQueue = Requests.Body(on).GetProperty("workQueue");
        Assert.True(workQueue.GetProperty("reachable").GetBoolean());
        Assert.Equal("status-work", workQueue.GetProperty("name").GetString());
        Assert.Equal(2, workQueue.GetProperty("approximateMessages").GetInt32());

        var deadQueue = new StorageRebalanceWorkQueue(new StorageOptions { ConnectionString = UnreachableStorage.ConnectionString().Replace("TableEndpoint", "QueueEndpoint", StringComparison.Ordinal) }, "status-work");
        var down = await Status(Tables, deadQueue, "status-work").RunAsync(Requests.Get());
        Assert.Equal(503, Requests.Status(down));
        var body = Requests.Body(down);
        Assert.True(body.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.False(body.GetProperty("workQueue").GetProperty("reachable").GetBoolean());
        Assert.Equal("degraded", body.GetProperty("status").GetString());
    }

    private StatusFunction Status(CallBalancerTables tables, IRebalanceWorkQueue? queue = null, string? workQueueName = null) =>
        Status(tables, Time, queue ?? new StorageRebalanceWorkQueue(Options, "unused"), workQueueName);

    internal static StatusFunction Status(CallBalancerTables tables, TimeProvider time, IRebalanceWorkQueue queue, string? workQueueName = null) =>
        new(tables, new RunStore(tables), queue, Microsoft.Extensions.Options.Options.Create(new RebalanceOptions { WorkQueueName = workQueueName }),
            Microsoft.Extensions.Options.Options.Create(new BalancingOptions()), time, NullLogger<StatusFunction>.Instance);
}
