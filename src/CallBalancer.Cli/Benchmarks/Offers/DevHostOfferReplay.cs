using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>Placeholder until the dev-host replay is written.</summary>
internal static class DevHostOfferReplay
{
    public static Task<object> RunAsync(IReadOnlyList<ReplayCall> calls, IReadOnlyDictionary<string, CustomerProfile> profiles, int concurrency,
        TextWriter progress, CancellationToken cancellationToken) => throw new NotImplementedException();
}
