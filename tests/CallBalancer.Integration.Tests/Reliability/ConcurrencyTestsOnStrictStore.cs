using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>The concurrency tests on the strict in-memory Table service (exact ETags and transaction limits).</summary>
public sealed class ConcurrencyTestsOnStrictStore() : ConcurrencyTests(new StrictBackend());
