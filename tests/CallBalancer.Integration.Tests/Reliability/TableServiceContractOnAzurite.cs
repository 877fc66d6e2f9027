using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>The Table service contract on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TableServiceContractOnAzurite(AzuriteFixture azurite) : TableServiceContractTests(new AzuriteBackend(azurite));
