using System.Collections.Concurrent;
using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>
/// Contact histories in memory with strict optimistic concurrency, like Table storage's ETags: a write succeeds only
/// if the history is still the one read (reference comparison of the versioned cell).
/// </summary>
internal sealed class InMemoryOfferState
{
    private readonly ConcurrentDictionary<string, Versioned> _histories = new(StringComparer.Ordinal);

    public Versioned Read(string customerId) => _histories.GetOrAdd(customerId, _ => new Versioned(ContactHistory.Empty, 0));

    /// <summary>Compare-and-swap: true when <paramref name="read"/> was still current.</summary>
    public bool TryWrite(string customerId, Versioned read, ContactHistory next) =>
        _histories.TryUpdate(customerId, new Versioned(next, read.Version + 1), read);

    /// <summary>Writes without checking what was read (the unguarded baseline), still without losing other writes.</summary>
    public void Append(string customerId, Func<ContactHistory, ContactHistory> change) =>
        _histories.AddOrUpdate(customerId, _ => new Versioned(change(ContactHistory.Empty), 1), (_, v) => new Versioned(change(v.History), v.Version + 1));

    public IEnumerable<KeyValuePair<string, ContactHistory>> All => _histories.Select(p => KeyValuePair.Create(p.Key, p.Value.History));

    /// <summary>A history and its version; compared by reference, as an ETag is compared by value.</summary>
    internal sealed class Versioned(ContactHistory history, long version)
    {
        public ContactHistory History { get; } = history;

        public long Version { get; } = version;
    }
}
