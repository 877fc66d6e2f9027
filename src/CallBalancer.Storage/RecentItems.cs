using System.Collections.Concurrent;

namespace CallBalancer.Storage;

/// <summary>
/// A bounded memory of recent values by key, for shortcuts that storage confirms (ETags) or that fall back to a read: two
/// generations of at most <see cref="Capacity"/> keys each; when the newer fills up it becomes the older and the oldest
/// is dropped, so memory stays flat and what was used lately stays.
/// </summary>
internal sealed class RecentItems<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly object _swap = new();
    private ConcurrentDictionary<TKey, TValue> _current = new();
    private ConcurrentDictionary<TKey, TValue> _previous = new();

    /// <summary>Keys per generation.</summary>
    public int Capacity => capacity;

    /// <summary>The value remembered for a key, if any.</summary>
    public bool TryGet(TKey key, out TValue value) => _current.TryGetValue(key, out value!) || _previous.TryGetValue(key, out value!);

    /// <summary>Remembers a value, combined with what was remembered for the key (null when nothing was).</summary>
    public void Update(TKey key, Func<TValue?, TValue> combine)
    {
        var current = _current;
        current.AddOrUpdate(key, k => combine(_previous.TryGetValue(k, out var old) ? old : default), (_, known) => combine(known));
    }

    /// <summary>Remembers a value.</summary>
    public void Set(TKey key, TValue value) => _current[key] = value;

    /// <summary>Starts a new generation when this one is full (call after a batch of updates: counting takes every lock).</summary>
    public void Trim()
    {
        var current = _current;
        if (current.Count >= capacity)
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

    /// <summary>Forgets a key.</summary>
    public void Remove(TKey key)
    {
        _current.TryRemove(key, out _);
        _previous.TryRemove(key, out _);
    }
}
