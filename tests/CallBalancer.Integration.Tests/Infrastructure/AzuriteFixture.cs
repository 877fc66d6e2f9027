using CallBalancer.DevHost;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>One Azurite Table service for the test run, started by the fixture itself on a free port (installed from npm on first use).</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    internal AzuriteLauncher Azurite { get; private set; } = null!;

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => Azurite = await AzuriteLauncher.StartAsync(persist: false);

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
