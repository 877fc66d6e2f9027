namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>Base of the storage tests that run on the shared Azurite only.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public abstract class StorageTestBase(AzuriteFixture azurite) : BackendTestBase(new AzuriteBackend(azurite))
{
    protected AzuriteFixture Azurite { get; } = azurite;
}
