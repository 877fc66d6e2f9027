using System.Collections.Concurrent;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using Microsoft.Extensions.Options;

namespace CallBalancer.Storage;

/// <summary>
/// What the offer hold (<see cref="OfferHold"/>) reads for a queue: its latest snapshot, its settings and, for the
/// service-level guard, the current half-hour's counts so far, read at most once per <see cref="FreshFor"/> per queue
/// and instance. A queue of 200 agents starts a call about every second, each asking for offers; the snapshot itself
/// arrives every few seconds, so a read per call would mostly re-read the same entity. A failed read is not cached.
/// The day's worst half-hour so far (for <see cref="OfferHold.EasedReserve"/>) changes only when a half-hour ends: it is
/// read through <see cref="QueueDayCache"/> (once per half-hour and queue), and only once the current half-hour is going
/// well enough for the ease to matter.
/// </summary>
public sealed class OfferHoldCache(
    SnapshotStore snapshots, IQueueSettingsSource settings, TimeProvider time, IForecastSource? forecasts = null, ModePolicy? policy = null,
    IntervalStore? intervals = null, IOptions<ForecastOptions>? forecastOptions = null, QueueDayCache? day = null)
{
    /// <summary>How long a queue's snapshot and settings are reused before they are read again.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(2);

    private const int MaxQueues = 10_000;
    private static readonly ModePolicy SharedPolicy = new();
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly QueueDayCache? _day = day ?? (intervals is null ? null : new QueueDayCache(intervals, forecastOptions));

    /// <summary>
    /// The queue's latest snapshot (null when none), settings and current half-hour so far, from the cache when fresh.
    /// With a forecast source, the settings carry the reserve in force now (<see cref="ModePolicy.OfferHoldReserve"/>:
    /// lower than the queue's own <see cref="QueueSettings.OfferHoldMinIdleAgents"/> in a quiet large queue), computed as
    /// the rebalance computes it. With an interval store, the half-hour's counts (<see cref="OfferHold.GuardWindowStart"/>,
    /// or the stored interval that contains now when intervals are longer); nothing counted without one, with no
    /// snapshot (the offer is held anyway) or with the guard off.
    /// </summary>
    public async Task<(QueueSnapshot? Snapshot, QueueSettings Settings, IntervalCounts HalfHourSoFar)> GetAsync(
        string queueId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueId);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(queueId, out var e) && now - e.ReadAt < FreshFor)
        {
            return (e.Snapshot, e.Settings, e.HalfHourSoFar);
        }

        var snapshotTask = snapshots.GetLatestAsync(queueId, cancellationToken);
        var settingsTask = settings.GetAsync(queueId, cancellationToken);
        var snapshot = await snapshotTask;
        var queueSettings = await settingsTask;

        // The forecast (for the quiet-queue reserve) and the half-hour's counts (for the guard) are read side by side.
        var forecastTask = forecasts is not null && snapshot is not null && ModePolicy.QuietReserveMayApply(snapshot, queueSettings)
            ? forecasts.GetUpcomingAsync(queueId, cancellationToken)
            : null;
        Task<IntervalCounts>? halfHourTask = null;
        if (intervals is not null && snapshot is not null && queueSettings.OfferHold && queueSettings.OfferHoldGuardMinCalls > 0)
        {
            var (from, to) = GuardWindow(now, intervals.IntervalLength);
            halfHourTask = intervals.GetWindowAsync(queueId, from, to, cancellationToken);
        }

        await Task.WhenAll(new Task?[] { forecastTask, halfHourTask }.OfType<Task>());
        if (forecastTask is not null)
        {
            queueSettings = queueSettings.WithOfferHoldReserve(
                (policy ?? SharedPolicy).OfferHoldReserve(snapshot, forecastTask.Result, queueSettings, now));
        }

        var halfHour = halfHourTask?.Result ?? IntervalCounts.Zero;

        // The ease where the day has room: only a half-hour already at the guard's level can qualify, so the day is read
        // only then (and once per half-hour).
        if (halfHourTask is not null && OfferHold.EasedReserve(queueSettings, halfHour, 0) != queueSettings.OfferHoldMinIdleAgents)
        {
            var worst = (await _day!.GetAsync(queueId, now, cancellationToken)).WorstHalfHour;
            queueSettings = queueSettings.WithOfferHoldReserve(OfferHold.EasedReserve(queueSettings, halfHour, worst));
        }

        if (_entries.Count >= MaxQueues)
        {
            _entries.Clear();
        }

        _entries[queueId] = new Entry(now, snapshot, queueSettings, halfHour);
        return (snapshot, queueSettings, halfHour);
    }

    /// <summary>
    /// The stored intervals the guard sums: the clock half-hour that contains <paramref name="now"/>, or the one stored
    /// interval that contains it when intervals are longer than the half-hour. The dashboard's "this half-hour" is the same.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) GuardWindow(DateTimeOffset now, TimeSpan intervalLength)
    {
        var utc = now.ToUniversalTime();
        if (intervalLength <= OfferHold.GuardWindow)
        {
            var start = OfferHold.GuardWindowStart(utc);
            return (start, start + OfferHold.GuardWindow);
        }

        var intervalStart = new DateTimeOffset(utc.UtcTicks - (utc.UtcTicks % intervalLength.Ticks), TimeSpan.Zero);
        return (intervalStart, intervalStart + intervalLength);
    }

    private sealed record Entry(DateTimeOffset ReadAt, QueueSnapshot? Snapshot, QueueSettings Settings, IntervalCounts HalfHourSoFar);
}
