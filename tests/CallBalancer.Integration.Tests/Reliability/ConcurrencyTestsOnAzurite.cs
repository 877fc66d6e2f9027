using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>The concurrency tests on Azurite (the real wire protocol).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrencyTestsOnAzurite(AzuriteFixture azurite) : ConcurrencyTests(new AzuriteBackend(azurite));
