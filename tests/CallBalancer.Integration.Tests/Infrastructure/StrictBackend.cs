using Azure.Data.Tables;
using CallBalancer.Integration.Tests.Infrastructure.StrictTables;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>A fresh strict in-memory Table service per test.</summary>
public sealed class StrictBackend : TableBackend
{
    public StrictTableService Service { get; } = new();

    public override string Name => "strict in-memory store";

    public override StorageOptions Options(string prefix) => new() { ConnectionString = StrictTableService.ConnectionString, TablePrefix = prefix };

    public override void Configure(TableClientOptions options) => Service.Attach(options);
}
