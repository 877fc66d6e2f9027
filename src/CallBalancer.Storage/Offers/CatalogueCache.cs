using CallBalancer.Core.Offers;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// The catalogue as the recommendation path reads it: held in memory for a few seconds, because every desktop request
/// needs it and it changes a few times a day. A supervisor's edit is visible here at once on the instance that made it
/// and within <see cref="Lifetime"/> on the others.
/// </summary>
public sealed class CatalogueCache(ProductStore store, TimeProvider time, TimeSpan lifetime)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (IReadOnlyList<Product> Products, DateTimeOffset Expires)? _current;
    private long _generation;

    /// <summary>How long a read catalogue is reused.</summary>
    public TimeSpan Lifetime => lifetime;

    /// <summary>The catalogue, from memory while fresh.</summary>
    public async Task<IReadOnlyList<Product>> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_current is { } c && time.GetUtcNow() < c.Expires)
        {
            return c.Products;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && time.GetUtcNow() < again.Expires)
            {
                return again.Products;
            }

            // A read that started before an Invalidate may return the catalogue before the edit: serve it to this
            // caller, but do not keep it, or the edit would stay invisible here for a whole lifetime.
            var generation = Interlocked.Read(ref _generation);
            var products = await store.GetAllAsync(cancellationToken);
            if (Interlocked.Read(ref _generation) == generation)
            {
                _current = (products, time.GetUtcNow() + lifetime);
            }

            return products;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached catalogue (after an edit on this instance).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _current = null;
    }
}
