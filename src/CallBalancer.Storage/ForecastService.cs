using System.Collections.Concurrent;
using Azure;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Forecasting;

namespace CallBalancer.Storage;

/// <summary>
/// The live forecast of each queue: the forecast timer feeds the interval arrivals from telephony events into each
/// queue's persisted forecaster state (yesterday's and today's intervals, so a missed run catches up), and the
/// rebalance reads the coming intervals from it. No history is refitted on a run.
/// </summary>
public sealed class ForecastService(
    ForecastStore store,
    IntervalStore intervals,
    SnapshotStore snapshots,
    TelephonyOptions telephony,
    ForecastOptions options,
    TimeProvider time) : IForecastSource
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, ArrivalForecastState? State)> _cache = new(StringComparer.Ordinal);
    private readonly TimeZoneInfo _zone = options.Zone();

    /// <summary>
    /// Refreshes every queue that has a snapshot; returns the intervals newly scored (forecast against actual). Each
    /// queue is its own unit of work: one that fails does not stop the others, and the run then ends with an
    /// <see cref="AggregateException"/> naming the failed queues, so the run counts as failed and the
    /// <c>forecast-stalled</c> alert sees it.
    /// </summary>
    public async Task<IReadOnlyList<(string QueueId, DateTimeOffset Start, double Forecast, double Actual)>> RefreshAllAsync(CancellationToken cancellationToken = default)
    {
        var scored = new List<(string, DateTimeOffset, double, double)>();
        var failures = new List<Exception>();
        foreach (var queueId in (await snapshots.ListLatestAsync(cancellationToken)).Select(s => s.QueueId).Distinct(StringComparer.Ordinal))
        {
            IReadOnlyList<(DateTimeOffset Start, double Forecast, double Actual)> queueScored;
            try
            {
                queueScored = await RefreshAsync(queueId, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add(new InvalidOperationException($"The forecast of queue '{queueId}' could not be refreshed: {ex.Message}", ex));
                continue;
            }

            foreach (var (start, forecast, actual) in queueScored)
            {
                scored.Add((queueId, start, forecast, actual));
                CallBalancerTelemetry.RecordForecastError(queueId, forecast, actual);
            }
        }

        return failures.Count == 0
            ? scored
            : throw new AggregateException($"{failures.Count} queue(s) failed their forecast refresh; the others were refreshed.", failures);
    }

    /// <summary>Feeds one queue's completed intervals into its forecaster and saves it (re-read and redone on a lost race).</summary>
    public async Task<IReadOnlyList<(DateTimeOffset Start, double Forecast, double Actual)>> RefreshAsync(string queueId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var counts = new List<(DateTimeOffset, double)>();
        var serviceLevels = new Dictionary<DateTimeOffset, double>();
        foreach (var day in new[] { today.AddDays(-1), today })
        {
            var dayCounts = await intervals.GetDayAsync(queueId, day, cancellationToken);
            foreach (var i in dayCounts.Where(i => i.Counts.ServiceLevel is not null))
            {
                serviceLevels[i.IntervalStart] = i.Counts.ServiceLevel!.Value;
            }

            // The aggregates list every interval, zeros included; a day with no arrivals at all before the queue's first
            // one is not history (the queue did not exist yet) and must not teach the forecaster an empty day.
            if (counts.Count == 0 && dayCounts.All(i => i.Counts.Arrivals == 0))
            {
                continue;
            }

            counts.AddRange(dayCounts.Select(i => (i.IntervalStart, (double)i.Counts.Arrivals)));
        }

        for (var attempt = 0; ; attempt++)
        {
            var stored = await store.GetAsync(queueId, cancellationToken);
            var length = TimeSpan.FromMinutes(telephony.IntervalMinutes);
            var forecaster = stored is { } s && s.State.IntervalSeconds == (int)length.TotalSeconds
                ? new ArrivalForecaster(s.State)
                : new ArrivalForecaster(length);
            if (stored is null && counts.Count == 0)
            {
                return [];
            }

            var lastSeen = LiveForecast.LastObserved(forecaster);
            var scored = LiveForecast.ObserveCompleted(forecaster, counts, now, _zone);
            try
            {
                await store.SaveAsync(queueId, forecaster.State, stored?.ETag, cancellationToken);
                _cache.TryRemove(queueId, out _);

                // The actual service level of each interval completed since the last refresh, once (after the save, so a
                // lost race that redoes the refresh does not record it twice).
                foreach (var (start, level) in serviceLevels.Where(p => p.Key + length <= now
                    && (lastSeen is null || TimeZoneInfo.ConvertTime(p.Key, _zone).DateTime > lastSeen)))
                {
                    CallBalancerTelemetry.RecordActualServiceLevel(queueId, level);
                }

                return scored;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 5)
            {
                // Another run saved in between: start again from its state.
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ForecastInterval>?> GetUpcomingAsync(string queueId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(queueId, out var cached) || now - cached.ReadAt > TimeSpan.FromSeconds(options.CacheSeconds))
        {
            var stored = await store.GetAsync(queueId, cancellationToken);
            cached = (now, stored?.State);
            _cache[queueId] = cached;
        }

        return cached.State is null
            ? null
            : LiveForecast.Upcoming(new ArrivalForecaster(cached.State.Clone()), now, _zone, TimeSpan.FromMinutes(options.HorizonMinutes));
    }
}
