using Azure.Data.Tables;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>The shared Azurite of the test run.</summary>
public sealed class AzuriteBackend(AzuriteFixture azurite) : TableBackend
{
    public override string Name => "Azurite";

    public override StorageOptions Options(string prefix) => new() { ConnectionString = azurite.ConnectionString, TablePrefix = prefix };

    public override void Configure(TableClientOptions options)
    {
    }
}
