using CallBalancer.Core.Telephony;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>Telephony events recorded straight into the interval store, for tests that need a queue's counts.</summary>
internal static class IntervalEvents
{
    /// <summary>Records <paramref name="count"/> answered calls of the queue from <paramref name="at"/> (one a second), each after <paramref name="waitSeconds"/>.</summary>
    public static async Task AnsweredAsync(IntervalStore store, TelephonyOptions options, string queueId, DateTimeOffset at, int count, double waitSeconds, string tag)
    {
        var aggregation = options.ToAggregation();
        await store.RecordAsync(Enumerable.Range(0, count)
            .Select(i => new TelephonyEvent($"{tag}-{i}", TelephonyEventKind.CallAnswered, at.AddSeconds(i), queueId) { CallId = $"{tag}-{i}", WaitSeconds = waitSeconds })
            .Select(e => (e, aggregation.Contribution(e)))
            .ToList());
    }
}
