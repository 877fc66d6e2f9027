namespace CallBalancer.Storage;

/// <summary>
/// The last rebalance run as the agent desktop paths need it (is the balancer alive?), read at most once per
/// <see cref="FreshFor"/> per instance while it is recent. Without it every desktop poll read the one entity that
/// records the last run: the load simulation measured 667 reads/s on that single partition for 10,000 agents polling
/// every 15 s, a third of the Table service's per-partition target. A run that is missing or stale is never served
/// from the cache, so a balancer coming back is seen at once, and a balancer stopping is seen at most
/// <see cref="FreshFor"/> late (against a staleness limit of minutes).
/// </summary>
public sealed class LastRebalanceCache(RunStore runs, TimeProvider time)
{
    /// <summary>How long a recent run is reused before the record is read again.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(5);

    // One reference, replaced whole, so concurrent polls never see half an update.
    private volatile CachedRun? _cached;

    /// <summary>The last run: from the cache when it was read less than <see cref="FreshFor"/> ago and was then no older than <paramref name="staleAfter"/>.</summary>
    public async Task<RebalanceRunSummary?> GetAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cached is { } c && now - c.ReadAt < FreshFor && now - c.Run.CompletedAt <= staleAfter)
        {
            return c.Run;
        }

        var run = await runs.GetLastRebalanceAsync(cancellationToken);
        _cached = run is not null && now - run.CompletedAt <= staleAfter ? new CachedRun(now, run) : null;
        return run;
    }

    private sealed record CachedRun(DateTimeOffset ReadAt, RebalanceRunSummary Run);
}
