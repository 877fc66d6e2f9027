using Azure;
using Azure.Data.Tables;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Integration.Tests.Infrastructure.StrictTables;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// The strict in-memory service where it is stricter than Azurite 3.37, which commits a transaction spanning
/// partitions, answers one of 101 operations with a multipart body the SDK cannot parse, compares dates to the
/// millisecond and fails with a 500 on a filter comparing an Int32 property with an Int64 literal. And it is
/// thread-safe: concurrent compare-and-swap writers lose nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StrictTableServiceTests : IAsyncLifetime
{
    private readonly StrictBackend _backend = new();
    private readonly TableClient _table;

    public StrictTableServiceTests() => _table = _backend.CreateTables("unused").Service.GetTableClient("strict" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync() => await _table.CreateIfNotExistsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_transaction_spanning_partitions_is_400_and_writes_nothing()
    {
        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "1")),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("q", "1")),
            ]));
        Assert.Equal(400, ex.Status);
        Assert.Equal("CommandsInBatchActOnDifferentPartitions", ex.ErrorCode);
        Assert.Equal(1, ex.FailedTransactionActionIndex);
        Assert.Empty(_backend.Service.Entities(_table.Name));
    }

    [Fact]
    public async Task A_transaction_of_more_than_100_operations_is_400_and_writes_nothing_while_100_commit()
    {
        TableTransactionAction Add(int i) => new(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D3}"));

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _table.SubmitTransactionAsync(Enumerable.Range(0, 101).Select(Add)));
        Assert.Equal(400, ex.Status);
        Assert.Empty(_backend.Service.Entities(_table.Name));

        await _table.SubmitTransactionAsync(Enumerable.Range(0, 100).Select(Add));
        Assert.Equal(100, _backend.Service.Entities(_table.Name).Count);
    }

    [Fact]
    public async Task Forbidden_key_characters_and_oversized_values_are_400()
    {
        async Task<int> StatusOf(TableEntity e) =>
            (await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityAsync(e))).Status;

        Assert.Equal(400, await StatusOf(new TableEntity("p/1", "r")));
        Assert.Equal(400, await StatusOf(new TableEntity("p", "r#1")));
        Assert.Equal(400, await StatusOf(new TableEntity("p", "r") { ["S"] = new string('x', 32 * 1024 + 1) }));
        var wide = new TableEntity("p", "r");
        for (var i = 0; i < 253; i++)
        {
            wide[$"P{i}"] = i;
        }

        Assert.Equal(400, await StatusOf(wide));
        var heavy = new TableEntity("p", "r");
        for (var i = 0; i < 17; i++)
        {
            heavy[$"B{i}"] = new byte[64 * 1024];
        }

        Assert.Equal(400, await StatusOf(heavy));
        Assert.Empty(_backend.Service.Entities(_table.Name));

        // Up to the limits is fine.
        await _table.AddEntityAsync(new TableEntity("p", "r") { ["S"] = new string('x', 32 * 1024) });
    }

    [Fact]
    public async Task Filters_compare_dates_to_the_100_nanoseconds_and_never_across_types()
    {
        var at = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        await _table.AddEntityAsync(new TableEntity("p", "r") { ["T"] = at, ["I"] = 5, ["L"] = 5L });

        async Task<int> CountAsync(string filter)
        {
            var n = 0;
            await foreach (var _ in _table.QueryAsync<TableEntity>(filter))
            {
                n++;
            }

            return n;
        }

        Assert.Equal(1, await CountAsync(TableClient.CreateQueryFilter($"T lt {at.AddTicks(1)}")));
        Assert.Equal(0, await CountAsync(TableClient.CreateQueryFilter($"T lt {at}")));
        Assert.Equal(0, await CountAsync(TableClient.CreateQueryFilter($"I eq {5L}")));
        Assert.Equal(0, await CountAsync(TableClient.CreateQueryFilter($"L eq {5}")));
        Assert.Equal(1, await CountAsync(TableClient.CreateQueryFilter($"L eq {5L}")));
    }

    [Fact]
    public async Task A_query_spanning_partitions_comes_back_in_several_pages()
    {
        foreach (var p in new[] { "a", "b", "c" })
        {
            await _table.AddEntityAsync(new TableEntity(p, "r"));
        }

        var pages = 0;
        var rows = 0;
        await foreach (var page in _table.QueryAsync<TableEntity>().AsPages())
        {
            pages++;
            rows += page.Values.Count;
        }

        Assert.Equal(3, rows);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Concurrent_compare_and_swap_writers_lose_no_increment_and_each_key_is_inserted_once()
    {
        await _table.AddEntityAsync(new TableEntity("p", "counter") { ["N"] = 0 });
        var conflicts = 0;
        var inserted = new int[8];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < 40; i++)
            {
                // Read, increment, write back conditional on the ETag read; on 412 read again.
                while (true)
                {
                    var e = (await _table.GetEntityAsync<TableEntity>("p", "counter")).Value;
                    e["N"] = e.GetInt32("N")!.Value + 1;
                    try
                    {
                        await _table.UpdateEntityAsync(e, e.ETag, TableUpdateMode.Replace);
                        break;
                    }
                    catch (RequestFailedException ex) when (ex.Status == 412)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }

                // Every writer tries to insert the same keys; exactly one insert of each may win.
                try
                {
                    await _table.AddEntityAsync(new TableEntity("p", $"once{i:D2}") { ["By"] = w });
                    inserted[w]++;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                }
            }
        })).ToList();
        start.SetResult();
        await Task.WhenAll(writers);

        Assert.Equal(8 * 40, (await _table.GetEntityAsync<TableEntity>("p", "counter")).Value.GetInt32("N"));
        Assert.Equal(40, inserted.Sum());
        Assert.Equal(41, _backend.Service.Entities(_table.Name).Count);
    }
}
