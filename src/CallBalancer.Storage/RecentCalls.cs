using System.Collections.Concurrent;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>
/// What this instance merged into the call records lately, so that a <c>call.ended</c> which names no agent (or no handle
/// time) can usually be credited without reading its call back: the answer it needs was merged here a few minutes
/// before. Bounded by two generations of at most <see cref="Capacity"/> calls each: when the newer fills up it becomes
/// the older and the oldest is dropped, so memory stays flat and recent calls stay. Only a shortcut: a call this
/// instance did not see (another instance took its answer, or it has been dropped) is read from storage.
/// </summary>
internal sealed class RecentCalls
{
    /// <summary>Calls per generation: at 10,000 calls an hour, a generation covers five hours.</summary>
    public const int Capacity = 50_000;

    private readonly object _swap = new();
    private ConcurrentDictionary<(string QueueId, string CallId), CallProgress> _current = new();
    private ConcurrentDictionary<(string QueueId, string CallId), CallProgress> _previous = new();

    /// <summary>Remembers what a batch merged for its calls (the stored record now holds at least this).</summary>
    public void Remember(IReadOnlyDictionary<(string QueueId, string CallId), CallProgress> merged)
    {
        ArgumentNullException.ThrowIfNull(merged);
        var current = _current;
        foreach (var (key, progress) in merged)
        {
            current.AddOrUpdate(key, k => Combine(_previous.GetValueOrDefault(k), progress), (_, known) => Combine(known, progress));
        }

        // Checked once per batch (Count takes every lock of the dictionary): a generation may overshoot by one batch.
        if (current.Count >= Capacity)
        {
            lock (_swap)
            {
                if (ReferenceEquals(current, _current))
                {
                    _previous = current;
                    _current = new();
                }
            }
        }
    }

    /// <summary>What this instance merged for a call lately, or null.</summary>
    public CallProgress? Find(string queueId, string callId) =>
        _current.TryGetValue((queueId, callId), out var p) ? p : _previous.GetValueOrDefault((queueId, callId));

    // A later batch's stages overwrite the stored ones (the store merges), so they overwrite here too.
    private static CallProgress Combine(CallProgress? known, CallProgress batch) => known is null
        ? batch
        : new CallProgress(batch.ArrivedAt ?? known.ArrivedAt, batch.AnsweredAt ?? known.AnsweredAt, batch.AbandonedAt ?? known.AbandonedAt, batch.EndedAt ?? known.EndedAt)
        {
            AnsweredBy = batch.AnsweredAt is null ? known.AnsweredBy : batch.AnsweredBy,
        };
}
