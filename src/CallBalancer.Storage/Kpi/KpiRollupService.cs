using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>What a roll-up run did.</summary>
/// <param name="Queues">Queues looked at (every queue with a latest snapshot).</param>
/// <param name="FirstDay">The oldest day of the window.</param>
/// <param name="LastDay">The newest day of the window (the last that ended at least a day ago).</param>
/// <param name="DaysRolledUp">Queue-days whose roll-up was written.</param>
/// <param name="DaysLost">Queue-days an append marked stale while they were being rolled up (tried again next run).</param>
/// <param name="EntriesRead">Ledger entries read to write them.</param>
/// <param name="Complete">False when the run stopped at its budget; the next run continues.</param>
public sealed record KpiRollupResult(int Queues, DateOnly FirstDay, DateOnly LastDay, int DaysRolledUp, int DaysLost, long EntriesRead, bool Complete);

/// <summary>
/// The nightly KPI roll-up: for every queue with a latest snapshot, sums each day of the last <c>days</c> that ended at
/// least <see cref="KpiRollupRules.RollUpAfter"/> ago and has no current roll-up (never rolled up, or marked stale by a
/// late append) into <see cref="KpiRollupStore"/>. Idempotent (a second run writes nothing) and bounded by a budget of
/// queue-days per run. Reports are correct without it; it only makes long queue reports read a row per day.
/// </summary>
public sealed class KpiRollupService(SnapshotStore snapshots, KpiLedgerStore ledger, KpiRollupStore rollups, TimeProvider time)
{
    /// <summary>Rolls up what is missing in the last <paramref name="days"/> closed days, at most <paramref name="maxDays"/> queue-days.</summary>
    public async Task<KpiRollupResult> RunAsync(int days, int maxDays, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDays, 1);
        var now = time.GetUtcNow();
        // The day before the one a day ago: it ended at least a day ago.
        var last = KpiRollupRules.DayOf(now - KpiRollupRules.RollUpAfter).AddDays(-1);

        var first = last.AddDays(1 - days);
        var queues = (await snapshots.ListLatestAsync(cancellationToken)).Select(s => s.QueueId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        int rolled = 0, lost = 0;
        long entries = 0;
        var failures = new List<Exception>();
        var complete = true;
        foreach (var queueId in queues)
        {
            // Each queue is its own unit of work: one whose roll-up fails (a transient 5xx, a day too big for a row)
            // does not stop the queues after it; the run then fails, naming it, for the alert. Its reports stay right
            // meanwhile (they read the raw entries of a day without a current roll-up).
            try
            {
                var current = await rollups.GetCurrentDaysAsync(queueId, first, last, cancellationToken);
                for (var day = first; day <= last && complete; day = day.AddDays(1))
                {
                    if (current.Contains(day))
                    {
                        continue;
                    }

                    if (rolled + lost >= maxDays)
                    {
                        complete = false;
                        break;
                    }

                    var d = day;
                    var read = 0;
                    var written = await rollups.RollUpAsync(queueId, d, async ct =>
                    {
                        var list = await ledger.GetQueueAsync(queueId, KpiRollupRules.StartOf(d), KpiRollupRules.EndOf(d), ct);
                        read = list.Count;
                        return list;
                    }, cancellationToken);
                    entries += read;
                    if (written)
                    {
                        rolled++;
                    }
                    else
                    {
                        lost++;
                    }
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add(new InvalidOperationException($"The KPI roll-up of queue '{queueId}' failed: {ex.Message}", ex));
            }

            if (!complete)
            {
                break;
            }
        }

        return failures.Count == 0
            ? new KpiRollupResult(queues.Count, first, last, rolled, lost, entries, complete)
            : throw new AggregateException($"{failures.Count} queue(s) failed their KPI roll-up; the others were rolled up.", failures);
    }
}
