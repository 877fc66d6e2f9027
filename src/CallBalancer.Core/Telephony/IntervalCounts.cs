namespace CallBalancer.Core.Telephony;

/// <summary>
/// What happened in one queue during one interval (default 15 minutes): the per-interval counts the arrival forecaster
/// consumes and the service-level figures the policy is judged by. Additive: shards and partial sums add up.
/// </summary>
/// <param name="Arrivals">Calls that entered the queue in the interval (offered calls).</param>
/// <param name="Answered">Calls answered in the interval.</param>
/// <param name="Abandoned">Callers who hung up while waiting, in the interval.</param>
/// <param name="AnsweredWithKnownWait">Answers whose wait is known (the denominator of the service level).</param>
/// <param name="AnsweredWithinTarget">Answers whose wait was at most the target answer time.</param>
/// <param name="WaitSecondsSum">Total wait of the answers with a known wait, seconds (for the average speed of answer).</param>
/// <param name="HandleTimeSeconds">Total handle time of calls that ended in the interval with a known answer time, seconds.</param>
/// <param name="HandledCalls">Calls counted in <paramref name="HandleTimeSeconds"/>.</param>
public readonly record struct IntervalCounts(
    long Arrivals,
    long Answered,
    long Abandoned,
    long AnsweredWithKnownWait,
    long AnsweredWithinTarget,
    double WaitSecondsSum,
    double HandleTimeSeconds,
    long HandledCalls)
{
    /// <summary>Nothing counted.</summary>
    public static IntervalCounts Zero => default;

    /// <summary>True when every count is zero (an event that contributes nothing, such as <c>agent.state</c>).</summary>
    public bool IsZero => this == default;

    /// <summary>Average handle time in seconds, or null when no call ended with a known answer time.</summary>
    public double? AverageHandleSeconds => HandledCalls == 0 ? null : HandleTimeSeconds / HandledCalls;

    /// <summary>
    /// The calls that ended and can be judged: answers with a known wait plus abandons. The simulator's service level,
    /// the offer hold's guard and the dashboard's half-hour all count every one of them in the denominator.
    /// </summary>
    public long Resolved => AnsweredWithKnownWait + Abandoned;

    /// <summary>Share of answers with a known wait that met the target (0-1), or null when there were none.</summary>
    public double? ServiceLevel => AnsweredWithKnownWait == 0 ? null : (double)AnsweredWithinTarget / AnsweredWithKnownWait;

    /// <summary>Adds two sets of counts (shards of one interval, or the deltas of a batch).</summary>
    public static IntervalCounts operator +(IntervalCounts a, IntervalCounts b) => new(
        a.Arrivals + b.Arrivals,
        a.Answered + b.Answered,
        a.Abandoned + b.Abandoned,
        a.AnsweredWithKnownWait + b.AnsweredWithKnownWait,
        a.AnsweredWithinTarget + b.AnsweredWithinTarget,
        a.WaitSecondsSum + b.WaitSecondsSum,
        a.HandleTimeSeconds + b.HandleTimeSeconds,
        a.HandledCalls + b.HandledCalls);
}
