using System.Collections.Concurrent;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using Microsoft.Extensions.Options;

namespace CallBalancer.Storage;

/// <summary>
/// A queue's local day so far, as the interval store keeps it: its completed half-hours (from local midnight in the
/// forecast's time zone, <c>CallBalancer__Forecast__TimeZone</c>, up to the start of the current half-hour) summed, and
/// the worst of them (<see cref="OfferHold.WorstHalfHour"/>). Both change only when a half-hour ends, so they are read
/// once per half-hour per queue and instance. The offer hold's eased reserve (<see cref="OfferHold.EasedReserve"/>) and
/// the rebalance's day's room (<see cref="DayRoom"/>) read them. A failed read is not cached.
/// </summary>
public sealed class QueueDayCache(IntervalStore intervals, IOptions<ForecastOptions>? forecastOptions = null)
{
    private const int MaxQueues = 10_000;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Window, DaySoFar Day)> _days = new(StringComparer.Ordinal);
    private readonly TimeZoneInfo _zone = forecastOptions?.Value.Zone() ?? TimeZoneInfo.Utc;

    /// <summary>The day so far for the half-hour that contains <paramref name="now"/>, from the cache when read in the same half-hour.</summary>
    public async Task<DaySoFar> GetAsync(string queueId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueId);
        var windowStart = OfferHoldCache.GuardWindow(now, intervals.IntervalLength).From;
        if (_days.TryGetValue(queueId, out var known) && known.Window == windowStart)
        {
            return known.Day;
        }

        var local = TimeZoneInfo.ConvertTime(windowStart, _zone);
        var dayStart = _zone.IsInvalidTime(local.Date)
            ? windowStart - local.TimeOfDay // a midnight a spring-forward skips: near enough
            : new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local.Date, _zone), TimeSpan.Zero);
        var rows = await intervals.GetDaysAsync(
            queueId, DateOnly.FromDateTime(dayStart.UtcDateTime), DateOnly.FromDateTime(windowStart.UtcDateTime), cancellationToken);
        var halfHours = rows
            .Where(i => i.IntervalStart >= dayStart && i.IntervalStart < windowStart)
            .GroupBy(i => OfferHoldCache.GuardWindow(i.IntervalStart, intervals.IntervalLength).From)
            .Select(g => g.Aggregate(IntervalCounts.Zero, (sum, i) => sum + i.Counts))
            .ToList();
        var day = new DaySoFar(halfHours.Aggregate(IntervalCounts.Zero, (sum, c) => sum + c), OfferHold.WorstHalfHour(halfHours));
        if (_days.Count >= MaxQueues)
        {
            _days.Clear();
        }

        _days[queueId] = (windowStart, day);
        return day;
    }
}

/// <summary>A queue's completed half-hours of the local day, summed, and the worst of them (null when none counts).</summary>
public readonly record struct DaySoFar(IntervalCounts Counts, double? WorstHalfHour);
