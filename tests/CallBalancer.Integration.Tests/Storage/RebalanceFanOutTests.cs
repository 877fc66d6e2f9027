using System.Text.Json;
using CallBalancer.Core.Balancing;
using CallBalancer.DevHost;
using CallBalancer.Functions;
using CallBalancer.Functions.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Storage;

/// <summary>The rebalance fan-out through a real Storage queue (Azurite's Queue service) to the worker function.</summary>
public sealed class RebalanceFanOutTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Fact]
    public async Task A_large_run_is_enqueued_in_work_items_and_the_workers_decide_every_queue()
    {
        await using var queueService = await AzuriteLauncher.StartQueueServiceAsync();
        var workQueue = new StorageRebalanceWorkQueue(new StorageOptions { ConnectionString = queueService.ConnectionString }, "rebalance-work");
        for (var q = 0; q < 7; q++)
        {
            await Snapshots.SaveLatestAsync(QuietSnapshot($"f{q}", 4));
        }

        var service = new RebalanceService(Snapshots, Rebalancer(), Runs, Time);
        var (items, inline) = await service.FanOutAsync(workQueue, queuesPerItem: 3);
        Assert.Equal(3, items);
        Assert.Null(inline);
        Assert.Empty(await Modes.GetQueueModesAsync("f0"));

        var options = Microsoft.Extensions.Options.Options.Create(new RebalanceOptions { WorkQueueName = "rebalance-work" });
        var worker = new RebalanceWorkerFunction(service, options, Time, NullLogger<RebalanceWorkerFunction>.Instance);
        var messages = (await workQueue.Client.ReceiveMessagesAsync(maxMessages: 10)).Value;
        Assert.Equal(3, messages.Length);
        var covered = new List<string>();
        foreach (var m in messages)
        {
            covered.AddRange(JsonSerializer.Deserialize<RebalanceWorkItem>(m.Body.ToString())!.QueueIds);
            await worker.RunAsync(m.Body.ToString());
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(q => $"f{q}"), covered.Order());
        for (var q = 0; q < 7; q++)
        {
            Assert.Equal(2, (await Modes.GetQueueModesAsync($"f{q}")).Count(m => m.State.Mode == AgentMode.CrossSell));
        }
    }

    [Fact]
    public async Task A_small_run_is_decided_inline_and_a_stale_work_item_is_skipped()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("small", 4));
        var service = new RebalanceService(Snapshots, Rebalancer(), Runs, Time);
        var neverUsed = new RecordingWorkQueue();
        var (items, inline) = await service.FanOutAsync(neverUsed, queuesPerItem: 25);
        Assert.Equal(0, items);
        Assert.Equal(1, inline!.Queues);
        Assert.Empty(neverUsed.Items);

        await Snapshots.SaveLatestAsync(QuietSnapshot("late", 4));
        var stale = JsonSerializer.Serialize(new RebalanceWorkItem("r1", Time.GetUtcNow().AddMinutes(-5), ["late"]));
        var worker = new RebalanceWorkerFunction(service, Microsoft.Extensions.Options.Options.Create(new RebalanceOptions()), Time,
            NullLogger<RebalanceWorkerFunction>.Instance);
        await worker.RunAsync(stale);
        await worker.RunAsync("not json");
        Assert.Empty(await Modes.GetQueueModesAsync("late"));
    }

    private sealed class RecordingWorkQueue : IRebalanceWorkQueue
    {
        public List<RebalanceWorkItem> Items { get; } = [];

        public Task EnqueueAsync(RebalanceWorkItem item, CancellationToken cancellationToken = default)
        {
            Items.Add(item);
            return Task.CompletedTask;
        }

        public Task<(string Name, int ApproximateMessages)> GetLengthAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(("recording", Items.Count));
    }
}
