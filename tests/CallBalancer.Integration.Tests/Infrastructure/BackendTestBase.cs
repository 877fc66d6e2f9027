using Azure.Data.Tables;
using CallBalancer.Core.Balancing;
using CallBalancer.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>
/// Base of the storage tests (after onefuzz's _FunctionTestBase): each test gets its own table prefix on its backend,
/// so tests never see each other's rows, and its tables are deleted afterwards. The backend is Azurite or the strict
/// in-memory service; the stores are the production ones either way.
/// </summary>
[Trait("Category", "Integration")]
public abstract class BackendTestBase : IAsyncLifetime
{
    protected BackendTestBase(TableBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Backend = backend;
        Prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        Options = backend.Options(Prefix);
        Tables = backend.CreateTables(Prefix);
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
        Snapshots = new SnapshotStore(Tables);
        Modes = new AgentModeStore(Tables);
        Decisions = new DecisionStore(Tables, Time);
        Runs = new RunStore(Tables);
    }

    protected TableBackend Backend { get; }

    protected string Prefix { get; }

    protected StorageOptions Options { get; }

    protected CallBalancerTables Tables { get; }

    protected FakeTimeProvider Time { get; }

    protected SnapshotStore Snapshots { get; }

    protected AgentModeStore Modes { get; }

    protected DecisionStore Decisions { get; }

    protected RunStore Runs { get; }

    /// <summary>Another client on the same tables (its own pipeline: a test can gate or break it alone).</summary>
    protected CallBalancerTables Client(Action<TableClientOptions>? configure = null) => Backend.CreateTables(Prefix, configure);

    protected QueueRebalancer Rebalancer(QueueSettings? settings = null) =>
        new(Snapshots, Modes, Decisions, new DefaultQueueSettingsSource(settings ?? QueueSettings.Default), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 });

    protected QueueSnapshot QuietSnapshot(string queueId, int agents, int waiting = 0, double oldestWait = 0, AgentState state = AgentState.Available) =>
        new(queueId, Time.GetUtcNow().AddSeconds(-2), waiting, oldestWait,
            Enumerable.Range(0, agents).Select(i => new AgentPresence($"{queueId}-agent{i:D4}", state)).ToList());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Every table this test made, the per-month ones included.
        await foreach (var table in Tables.Service.QueryAsync(t => t.Name.CompareTo(Prefix) >= 0 && t.Name.CompareTo(Prefix + "~") < 0))
        {
            await Tables.Service.DeleteTableAsync(table.Name);
        }
    }
}
