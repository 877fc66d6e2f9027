namespace CallBalancer.Core.Supervision;

/// <summary>
/// A time-of-day range on given weekdays during which a queue may cross-sell (UTC, the balancer's clock).
/// <see cref="To"/> earlier than <see cref="From"/> means the window runs past midnight into the next day.
/// </summary>
/// <param name="Days">The weekdays the window starts on; never empty.</param>
/// <param name="From">The start of the window (time of day, inclusive).</param>
/// <param name="To">The end of the window (time of day, exclusive).</param>
public sealed record CrossSellWindow(IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To)
{
    /// <summary>True when <paramref name="at"/> (taken in UTC) falls inside the window.</summary>
    public bool Contains(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var time = TimeOnly.FromDateTime(utc);
        if (From < To)
        {
            return Days.Contains(utc.DayOfWeek) && time >= From && time < To;
        }

        // Past midnight: the evening part belongs to today's start day, the early-morning part to yesterday's.
        return (Days.Contains(utc.DayOfWeek) && time >= From)
            || (Days.Contains(utc.AddDays(-1).DayOfWeek) && time < To);
    }
}
