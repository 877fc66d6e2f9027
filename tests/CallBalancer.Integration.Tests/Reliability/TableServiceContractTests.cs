using Azure;
using Azure.Data.Tables;
using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// What the stores rely on from the Table service, asserted through the real SDK against both backends, so the strict
/// in-memory service is shown to answer as Azurite does wherever Azurite is right.
/// </summary>
public abstract class TableServiceContractTests : IAsyncLifetime
{
    private readonly TableServiceClient _service;
    private readonly string _name = "c" + Guid.NewGuid().ToString("N")[..16];

    protected TableServiceContractTests(TableBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _service = backend.CreateTables("unused").Service;
        Table = _service.GetTableClient(_name);
    }

    protected TableClient Table { get; }

    public async Task InitializeAsync() => await Table.CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await _service.DeleteTableAsync(_name);

    [Fact]
    public async Task Inserting_an_existing_key_is_409_and_leaves_the_stored_entity()
    {
        await Table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => Table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }));
        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Equal(1, (await Table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task An_update_with_a_stale_ETag_is_412_alone_and_in_a_transaction_and_changes_nothing()
    {
        var first = (await Table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 })).Headers.ETag!.Value;
        var second = (await Table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }, first, TableUpdateMode.Replace)).Headers.ETag!.Value;
        Assert.NotEqual(first, second);

        var single = await Assert.ThrowsAsync<RequestFailedException>(() => Table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 3 }, first, TableUpdateMode.Replace));
        Assert.Equal(412, single.Status);
        var batch = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "new")),
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity("p", "r") { ["V"] = 4 }, first),
            ]));
        Assert.Equal(412, batch.Status);
        Assert.Equal(1, batch.FailedTransactionActionIndex);
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => Table.DeleteEntityAsync("p", "r", first));
        Assert.Equal(412, delete.Status);

        // Atomic: the transaction's insert did not happen either.
        Assert.False((await Table.GetEntityIfExistsAsync<TableEntity>("p", "new")).HasValue);
        Assert.Equal(2, (await Table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task An_update_of_a_missing_entity_is_404_and_an_upsert_creates_it()
    {
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => Table.UpdateEntityAsync(new TableEntity("p", "r"), ETag.All, TableUpdateMode.Merge));
        Assert.Equal(404, ex.Status);
        await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "a" }, TableUpdateMode.Merge);
        await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["B"] = "b" }, TableUpdateMode.Merge);
        var merged = (await Table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.Equal(("a", "b"), (merged.GetString("A"), merged.GetString("B")));

        await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["C"] = "c" }, TableUpdateMode.Replace);
        var replaced = (await Table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.Null(replaced.GetString("A"));
        Assert.Equal("c", replaced.GetString("C"));
    }

    [Fact]
    public async Task Every_property_type_round_trips_and_filters_compare_by_type()
    {
        var at = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var id = Guid.NewGuid();
        await Table.AddEntityAsync(new TableEntity("p", "r")
        {
            ["S"] = "it's", ["I"] = 5, ["L"] = 5L << 40, ["D"] = 2.0, ["B"] = true, ["T"] = at, ["G"] = id, ["X"] = new byte[] { 1, 2, 3 }, ["N"] = null,
        });
        var e = (await Table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.Equal("it's", e.GetString("S"));
        Assert.Equal(5, e.GetInt32("I"));
        Assert.Equal(5L << 40, e.GetInt64("L"));
        Assert.Equal(2.0, e.GetDouble("D"));
        Assert.True(e.GetBoolean("B"));
        Assert.Equal(at, e.GetDateTimeOffset("T"));
        Assert.Equal(id, e.GetGuid("G"));
        Assert.Equal([1, 2, 3], e.GetBinary("X"));
        Assert.False(e.ContainsKey("N"));

        async Task<int> CountAsync(string filter)
        {
            var n = 0;
            await foreach (var _ in Table.QueryAsync<TableEntity>(filter))
            {
                n++;
            }

            return n;
        }

        // Azurite compares dates to the millisecond only, so the bounds here are a millisecond apart.
        Assert.Equal(1, await CountAsync(TableClient.CreateQueryFilter($"T lt {at.AddMilliseconds(1)} and T ge {at} and L ge {5L << 40} and I eq {5} and S eq {"it's"} and G eq {id}")));
        Assert.Equal(0, await CountAsync(TableClient.CreateQueryFilter($"T lt {at}")));
        Assert.Equal(0, await CountAsync(TableClient.CreateQueryFilter($"Missing eq {"x"}")));
        Assert.Equal(1, await CountAsync(TableClient.CreateQueryFilter($"I gt {4}")));
        Assert.Equal(1, await CountAsync(TableClient.CreateQueryFilter($"S eq {"nope"} or I gt {4}")));
    }

    [Fact]
    public async Task Queries_return_key_order_across_pages_with_only_the_selected_properties()
    {
        var rows = Enumerable.Range(0, 25).Select(i => $"r{i:D2}").ToList();
        foreach (var partition in new[] { "b", "a" })
        {
            await Table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, r) { ["V"] = r, ["W"] = 1 })));
        }

        var seen = new List<TableEntity>();
        await foreach (var e in Table.QueryAsync<TableEntity>(maxPerPage: 7, select: ["PartitionKey", "RowKey", "V"]))
        {
            seen.Add(e);
        }

        Assert.Equal(rows.Select(r => ("a", r)).Concat(rows.Select(r => ("b", r))), seen.Select(e => (e.PartitionKey, e.RowKey)));
        Assert.All(seen, e => Assert.False(e.ContainsKey("W")));

        var range = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == "b" && x.RowKey.CompareTo("r10") >= 0 && x.RowKey.CompareTo("r13") < 0))
        {
            range.Add(e.RowKey);
        }

        Assert.Equal(["r10", "r11", "r12"], range);
    }

    [Fact]
    public async Task A_transaction_naming_a_row_twice_is_400_and_writes_nothing()
    {
        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "x")),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "x")),
            ]));
        Assert.Equal(400, ex.Status);
        Assert.False((await Table.GetEntityIfExistsAsync<TableEntity>("p", "x")).HasValue);
    }

    [Fact]
    public async Task Tables_are_listed_by_prefix_and_a_deleted_table_is_not_found()
    {
        var other = _service.GetTableClient(_name + "x");
        await other.CreateIfNotExistsAsync();
        var names = new List<string>();
        await foreach (var t in _service.QueryAsync(t => t.Name.CompareTo(_name) >= 0 && t.Name.CompareTo(_name + "~") < 0))
        {
            names.Add(t.Name);
        }

        Assert.Equal([_name, _name + "x"], names.Order(StringComparer.Ordinal));
        await _service.DeleteTableAsync(_name + "x");
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => other.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(404, ex.Status);
        Assert.Equal("TableNotFound", ex.ErrorCode);
    }
}
