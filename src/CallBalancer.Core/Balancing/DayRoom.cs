using CallBalancer.Core.Telephony;

namespace CallBalancer.Core.Balancing;

/// <summary>
/// The day's room: what the local day's completed half-hours so far leave the capacity to spend. The service-level
/// target is the day's, and the half-hour bound is judged against the day's worst half-hour, so once the day has
/// banked calls answered well above the target and a half-hour has gone badly, the intervals still to come need not each
/// hold the target plus the on-margin:
/// <list type="bullet">
/// <item>the capacity's service-level goal comes down linearly from the target plus the on-margin, while the day so far
/// is answered within the target at least <see cref="FromAboveTarget"/> (3 points) above the target, to
/// <see cref="LowestBelowTarget"/> below the target once it is <see cref="Span"/> (10 points) further up, and never
/// below the day's worst half-hour so far plus <see cref="QueueSettings.DayRoomAboveWorst"/> (0.1);</item>
/// <item>the abandonment cap the capacity plans with stretches from <see cref="QueueSettings.MaxAbandonRate"/> up to
/// <see cref="MaxCapStretch"/> + 1 times it while the day's abandonment so far is below the cap (fully at half of it):
/// the cap is the day's, and the day is under it.</item>
/// </list>
/// No room before <see cref="MinResolvedCalls"/> calls of the day are resolved, before the day has a worst half-hour
/// (<see cref="OfferHold.WorstHalfHour"/>), while the forecast's weakest interval ahead under service-only is predicted
/// below the day's worst so far (a worse half-hour is still to come, and it sets the bound), or with the setting at 1.
/// Pure.
/// </summary>
/// <remarks>
/// Measured with <c>callbalancer bench policy --seeds 12</c> (docs/benchmarks/policy.md): the same 466 of 480 runs keep
/// the half-hour bound, the very same runs, at a volume ratio of 0.729 against 0.707 (the 1999 bank 0.587 against
/// 0.553); every other target is still met.
/// </remarks>
public static class DayRoom
{
    /// <summary>The day so far must be answered within the target this far above the target before there is room.</summary>
    public const double FromAboveTarget = 0.03;

    /// <summary>How far further above the room grows to its full extent (share of calls).</summary>
    public const double Span = 0.10;

    /// <summary>At full room the goal could come down to the target minus this (the day's worst plus the setting binds first).</summary>
    public const double LowestBelowTarget = 0.5;

    /// <summary>The resolved calls of the day's completed half-hours before the day says anything.</summary>
    public const int MinResolvedCalls = 100;

    /// <summary>The abandonment cap stretches to at most this many times itself more (so 3 × the cap).</summary>
    public const double MaxCapStretch = 2;

    /// <summary>
    /// True when the day gives room at all: the setting is on, the day has a worst half-hour and enough resolved calls,
    /// and no interval ahead is predicted (service-only) below the day's worst so far.
    /// </summary>
    /// <param name="settings">The queue's settings.</param>
    /// <param name="daySoFar">The local day's completed half-hours, summed.</param>
    /// <param name="dayWorst">The day's worst completed half-hour (<see cref="OfferHold.WorstHalfHour"/>), or null.</param>
    /// <param name="weakestAhead">The forecast's weakest interval ahead under service-only (predicted share within the target).</param>
    public static bool Applies(QueueSettings settings, IntervalCounts daySoFar, double? dayWorst, double weakestAhead)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.DayRoomAboveWorst < 1 && dayWorst is { } worst && daySoFar.Resolved >= MinResolvedCalls
            && weakestAhead >= worst;
    }

    /// <summary>
    /// The capacity's switch-on goal with the day's room: <paramref name="top"/> (the target plus the on-margin) when the
    /// day gives none, else lower as described on the class, never below the day's worst plus the setting, never above
    /// <paramref name="top"/>.
    /// </summary>
    public static double Goal(double top, QueueSettings settings, IntervalCounts daySoFar, double? dayWorst, double weakestAhead)
    {
        if (!Applies(settings, daySoFar, dayWorst, weakestAhead))
        {
            return top;
        }

        var level = (double)daySoFar.AnsweredWithinTarget / daySoFar.Resolved;
        var room = Math.Clamp((level - settings.ServiceLevelTarget - FromAboveTarget) / Span, 0, 1);
        var goal = top - (top - (settings.ServiceLevelTarget - LowestBelowTarget)) * room;
        return Math.Min(top, Math.Max(goal, dayWorst!.Value + settings.DayRoomAboveWorst));
    }

    /// <summary>
    /// The abandonment cap the capacity plans with: <see cref="QueueSettings.MaxAbandonRate"/>, stretched (at most to 1)
    /// while the day's abandonment so far is below it and the day gives room.
    /// </summary>
    public static double AbandonCap(QueueSettings settings, IntervalCounts daySoFar, double? dayWorst, double weakestAhead)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cap = settings.MaxAbandonRate;
        if (cap >= 1 || cap <= 0 || !Applies(settings, daySoFar, dayWorst, weakestAhead))
        {
            return cap;
        }

        var abandoned = (double)daySoFar.Abandoned / daySoFar.Resolved;
        var stretch = Math.Clamp((cap - abandoned) / (cap * 0.5), 0, 1);
        return Math.Min(1, cap * (1 + MaxCapStretch * stretch));
    }
}
