namespace CallBalancer.Storage;

/// <summary>
/// Whether the balancer is running: the last rebalance completed within the stale limit. Every desktop read asks, so
/// the last run read is reused while it still proves freshness. That is exact, not an approximation: the completion
/// time only moves forward, so if the run this instance read is recent enough, the stored one is too; once it is not,
/// the stored run is read again before answering "stale". A DI singleton.
/// </summary>
public sealed class RebalanceFreshness(RunStore runs, TimeProvider time)
{
    private RebalanceRunSummary? _known;

    /// <summary>True when a rebalance completed no longer than <paramref name="staleAfter"/> ago.</summary>
    public async Task<bool> IsFreshAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        if (_known is { } known && time.GetUtcNow() - known.CompletedAt <= staleAfter)
        {
            return true;
        }

        var last = await runs.GetLastRebalanceAsync(cancellationToken);
        if (last is not null && (_known is null || last.CompletedAt > _known.CompletedAt))
        {
            _known = last;
        }

        return last is not null && time.GetUtcNow() - last.CompletedAt <= staleAfter;
    }
}
