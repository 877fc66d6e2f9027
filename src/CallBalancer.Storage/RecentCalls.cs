using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>
/// What this instance received for the call records lately (merged, or being merged by a concurrent request), so that
/// a <c>call.ended</c> which names no agent (or no handle time) can usually be credited without reading its call back:
/// the answer it needs came here a few minutes before. Only a shortcut: a call this instance did not see (another
/// instance took its answer, or it has been forgotten) is read from storage.
/// </summary>
internal sealed class RecentCalls
{
    /// <summary>Calls per generation: at 10,000 calls an hour, a generation covers five hours.</summary>
    public const int Capacity = 50_000;

    private readonly RecentItems<(string QueueId, string CallId), CallProgress> _calls = new(Capacity);

    /// <summary>Remembers what a batch knows of its calls (the stored record holds it once the batch's merge succeeds).</summary>
    public void Remember(IReadOnlyDictionary<(string QueueId, string CallId), CallProgress> merged)
    {
        ArgumentNullException.ThrowIfNull(merged);
        foreach (var (key, progress) in merged)
        {
            _calls.Update(key, known => Combine(known, progress));
        }

        _calls.Trim();
    }

    /// <summary>What this instance received for a call lately, or null.</summary>
    public CallProgress? Find(string queueId, string callId) => _calls.TryGet((queueId, callId), out var p) ? p : null;

    // A later batch's stages overwrite the stored ones (the store merges), so they overwrite here too.
    private static CallProgress Combine(CallProgress? known, CallProgress batch) => known is null
        ? batch
        : new CallProgress(batch.ArrivedAt ?? known.ArrivedAt, batch.AnsweredAt ?? known.AnsweredAt, batch.AbandonedAt ?? known.AbandonedAt, batch.EndedAt ?? known.EndedAt)
        {
            AnsweredBy = batch.AnsweredAt is null ? known.AnsweredBy : batch.AnsweredBy,
        };
}
