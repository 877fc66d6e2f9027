using CallBalancer.Cli.Benchmarks.Offers;
using CallBalancer.Core.Offers;

namespace CallBalancer.Core.Tests.Offers;

/// <summary>
/// The recorder under real thread concurrency against a deterministic store that honours versions strictly (the
/// benchmark's compare-and-swap store), next to the unguarded write it replaces.
/// </summary>
public sealed class ConcurrentRecordingTests
{
    private static readonly DateTimeOffset T0 = OfferGen.Now;

    private static List<ReplayCall> OverlappingCalls(int customers, int callsEach) =>
        Enumerable.Range(0, customers * callsEach)
            .Select(i => new ReplayCall($"call{i}", $"cust{i % customers}", $"agent{i % 7}", "PS", CallReason.CardActivation,
                T0.AddHours(i / customers), 120))
            .ToList();

    [Fact]
    public void Overlapping_answers_for_the_same_customers_never_exceed_the_limit_when_writes_are_guarded()
    {
        var calls = OverlappingCalls(customers: 5, callsEach: 40);
        var replay = new CoreOfferReplay(SeedCatalogue.Products, ContactPolicy.Default, new Dictionary<string, CustomerProfile>());

        var guarded = replay.Run(calls, CoreOfferReplay.Variant.Product, concurrency: 8, overlapping: true);
        var unguarded = replay.Run(calls, CoreOfferReplay.Variant.Unguarded, concurrency: 8, overlapping: true);

        Assert.Equal(0, guarded.Violations(ContactPolicy.Default).Customers);
        Assert.All(guarded.State.All, h => Assert.True(h.Value.Records.Count(r => r.Outcome != OfferOutcome.DoNotOfferAgain) <= ContactPolicy.Default.MaxOffers));
        // Every customer gets an answer recorded; the overlapping recommendations offer the same products, so after the
        // first answer to each the cool-down and the held-product rules refuse more of them than the limit does.
        Assert.All(guarded.State.All, h => Assert.NotEmpty(h.Value.Records));
        Assert.Equal(calls.Count, guarded.Recorded + guarded.RejectedContactLimit + guarded.RejectedByOtherRules.Values.Sum());
        Assert.All(guarded.State.All, h => Assert.Equal(
            h.Value.Records.Count(r => r.Outcome == OfferOutcome.Accepted && r.ReversedAt is null),
            h.Value.Records.Where(r => r.Outcome == OfferOutcome.Accepted && r.ReversedAt is null).Select(r => r.ProductId).Distinct().Count()));

        // The baseline shows the guard is what keeps the limit: every overlapping answer gets through without it.
        Assert.Equal(5, unguarded.Violations(ContactPolicy.Default).Customers);
    }
}
