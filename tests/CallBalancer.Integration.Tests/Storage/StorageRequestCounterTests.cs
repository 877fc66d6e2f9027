using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CallBalancer.DevHost;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

/// <summary>
/// The storage request counter's per-partition record, against Azurite's real requests: which partition each request
/// touched, how many entities it wrote or read, and in which second of the counter's clock.
/// </summary>
public sealed class StorageRequestCounterTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Fact]
    public async Task Point_reads_queries_inserts_and_transactions_are_recorded_by_table_partition_and_second()
    {
        var counter = new StorageRequestCounter(Time);
        var tables = new CallBalancerTables(Options, o => o.AddPolicy(counter, HttpPipelinePosition.PerCall));
        var table = await tables.GetAsync(Prefix + "Load");
        var second = Time.GetUtcNow().ToUnixTimeSeconds();
        counter.Reset();

        // One entity-group transaction of three entities in a partition whose key needs quoting.
        await table.SubmitTransactionAsync(Enumerable.Range(0, 3).Select(i =>
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("q'1", $"a{i}"))));
        await table.AddEntityAsync(new TableEntity("q2", "a0"));
        Time.Advance(TimeSpan.FromSeconds(1));
        await table.UpsertEntityAsync(new TableEntity("q2", "a1"), TableUpdateMode.Replace);
        await table.GetEntityIfExistsAsync<TableEntity>("q'1", "a0");
        await table.GetEntityIfExistsAsync<TableEntity>("q'1", "missing");
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == "q'1"))
        {
        }

        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.RowKey == "a0"))
        {
        }

        var load = counter.Load.Where(s => s.Resource == Prefix + "Load").ToList();
        Assert.All(load, s => Assert.Equal("table", s.Service));
        var first = Assert.Single(load, s => s.Partition == "q'1" && s.Second == second);
        Assert.Equal((1, 1, 3, 0), (first.Requests, first.WriteRequests, first.EntitiesWritten, first.EntitiesRead));
        var insert = Assert.Single(load, s => s.Partition == "q2" && s.Second == second);
        Assert.Equal((1, 1, 0), (insert.Requests, insert.EntitiesWritten, insert.EntitiesRead));
        var upsert = Assert.Single(load, s => s.Partition == "q2" && s.Second == second + 1);
        Assert.Equal((1, 1, 0), (upsert.Requests, upsert.EntitiesWritten, upsert.EntitiesRead));

        // A point read of an entity, one of a missing entity and a partition query returning three.
        var reads = Assert.Single(load, s => s.Partition == "q'1" && s.Second == second + 1);
        Assert.Equal((3, 0, 0, 1 + 0 + 3), (reads.Requests, reads.WriteRequests, reads.EntitiesWritten, reads.EntitiesRead));

        // A query that names no partition scans them all: its two matches are recorded under "*".
        var scan = Assert.Single(load, s => s.Partition == "*");
        Assert.Equal((1, 2), (scan.Requests, scan.EntitiesRead));
        Assert.Equal(counter.Total, counter.Load.Sum(s => s.Requests));
    }

    [Fact]
    public async Task Queue_messages_sent_received_and_deleted_are_recorded_per_queue()
    {
        await using var queueService = await AzuriteLauncher.StartQueueServiceAsync();
        var counter = new StorageRequestCounter(Time);
        var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2024_11_04);
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var queue = new QueueClient(queueService.ConnectionString, "load-test", options);
        await queue.CreateIfNotExistsAsync();
        counter.Reset();

        await queue.SendMessageAsync("one");
        await queue.SendMessageAsync("two");
        var received = (await queue.ReceiveMessagesAsync(maxMessages: 16)).Value;
        foreach (var m in received)
        {
            await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }

        var sample = Assert.Single(counter.Load);
        Assert.Equal(("queue", "load-test", "load-test"), (sample.Service, sample.Resource, sample.Partition));
        Assert.Equal(2, received.Length);

        // 2 sends + 1 receive + 2 deletes; the sends and deletes write a message each, the receive returned two.
        Assert.Equal((5, 4, 4, 2), (sample.Requests, sample.WriteRequests, sample.EntitiesWritten, sample.EntitiesRead));
    }
}
