using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>The Table service contract on the strict in-memory service.</summary>
[Trait("Category", "Integration")]
public sealed class TableServiceContractOnStrictStore() : TableServiceContractTests(new StrictBackend());
