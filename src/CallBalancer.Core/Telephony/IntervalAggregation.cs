namespace CallBalancer.Core.Telephony;

/// <summary>
/// Turns events into per-interval counts. Each event counts in the interval that contains its own
/// <see cref="TelephonyEvent.OccurredAt"/> (arrivals where they arrived, answers where they were answered, handle time
/// where the call ended), so the counts do not depend on the order events arrive in, and each event's contribution is
/// fixed once it is known: replaying it must not count it again (the store records each event id once).
/// </summary>
public sealed class IntervalAggregation
{
    /// <summary>The default interval: 15 minutes, the usual forecasting and staffing period of a contact centre.</summary>
    public static readonly TimeSpan DefaultIntervalLength = TimeSpan.FromMinutes(15);

    /// <summary>Builds the aggregation for an interval length and a target answer time.</summary>
    /// <param name="intervalLength">Interval length; must divide a day into whole intervals (1 minute to 1 day).</param>
    /// <param name="answerTargetSeconds">The service-level target answer time in seconds (e.g. 20 for "80% in 20 s").</param>
    public IntervalAggregation(TimeSpan intervalLength, double answerTargetSeconds)
    {
        if (intervalLength < TimeSpan.FromMinutes(1) || intervalLength > TimeSpan.FromDays(1)
            || TimeSpan.FromDays(1).Ticks % intervalLength.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(intervalLength), intervalLength, "Must be 1 minute to 1 day and divide a day evenly.");
        }

        if (!double.IsFinite(answerTargetSeconds) || answerTargetSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(answerTargetSeconds), answerTargetSeconds, "Must be a positive number of seconds.");
        }

        IntervalLength = intervalLength;
        AnswerTargetSeconds = answerTargetSeconds;
    }

    /// <summary>Interval length.</summary>
    public TimeSpan IntervalLength { get; }

    /// <summary>The target answer time, seconds.</summary>
    public double AnswerTargetSeconds { get; }

    /// <summary>Intervals in one day (96 for 15 minutes).</summary>
    public int IntervalsPerDay => (int)(TimeSpan.FromDays(1).Ticks / IntervalLength.Ticks);

    /// <summary>The start (UTC) of the interval containing an instant.</summary>
    public DateTimeOffset IntervalStart(DateTimeOffset at)
    {
        var utc = at.UtcTicks;
        return new DateTimeOffset(utc - (utc % IntervalLength.Ticks), TimeSpan.Zero);
    }

    /// <summary>
    /// What one event adds to its interval. <paramref name="call"/> is what is known of the call apart from this event:
    /// it supplies the wait (answer minus arrival) or the handle time (end minus answer) when the event does not carry it.
    /// When neither is known the answer is counted but not judged against the target, and the end adds no handle time.
    /// </summary>
    public IntervalCounts Contribution(TelephonyEvent e, CallProgress? call = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e.Kind)
        {
            case TelephonyEventKind.CallArrived:
                return IntervalCounts.Zero with { Arrivals = 1 };
            case TelephonyEventKind.CallAbandoned:
                return IntervalCounts.Zero with { Abandoned = 1 };
            case TelephonyEventKind.CallAnswered:
                var wait = e.WaitSeconds ?? Seconds(call?.ArrivedAt, e.OccurredAt);
                return wait is { } w
                    ? new IntervalCounts(0, 1, 0, 1, w <= AnswerTargetSeconds ? 1 : 0, w, 0, 0)
                    : IntervalCounts.Zero with { Answered = 1 };
            case TelephonyEventKind.CallEnded:
                var handle = e.HandleSeconds ?? Seconds(call?.AnsweredAt, e.OccurredAt);
                return handle is { } h ? IntervalCounts.Zero with { HandleTimeSeconds = h, HandledCalls = 1 } : IntervalCounts.Zero;
            default:
                return IntervalCounts.Zero;
        }
    }

    /// <summary>
    /// The agent a call's handle time is credited to: for a <c>call.ended</c> that adds handle time, the agent the event
    /// names, else the agent who answered (<paramref name="call"/>); null for any other event or when no agent is known.
    /// The agent's share of an event is exactly the handled call and handle time it adds to the queue's interval, so the
    /// agents' figures and the calls nobody is known to have handled add up to the queue's.
    /// </summary>
    public string? HandlingAgent(TelephonyEvent e, CallProgress? call = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind == TelephonyEventKind.CallEnded ? e.AgentId ?? call?.AnsweredBy : null;
    }

    /// <summary>Seconds from <paramref name="from"/> to <paramref name="to"/>; null when unknown or negative (clocks disagree).</summary>
    private static double? Seconds(DateTimeOffset? from, DateTimeOffset to) =>
        from is { } f && to >= f ? (to - f).TotalSeconds : null;
}
