namespace CallBalancer.Core.Balancing;

/// <summary>The arrival forecast of one coming interval of a queue, as the policy reads it.</summary>
/// <param name="Start">The interval's start.</param>
/// <param name="LengthSeconds">The interval's length (seconds), e.g. 300 for five minutes.</param>
/// <param name="ExpectedCalls">The expected number of calls arriving in the interval (calls per interval).</param>
/// <param name="UpperCalls">
/// The upper bound of the forecast's 80% prediction interval of the count (calls per interval: its 90th percentile); equal to <paramref name="ExpectedCalls"/> when the arrivals are known (the clairvoyant policy).
/// </param>
public sealed record ForecastInterval(DateTimeOffset Start, double LengthSeconds, double ExpectedCalls, double UpperCalls)
{
    /// <summary>
    /// Agents the workforce schedule has logged in during the interval (agents); null when unknown. A shift change
    /// that lowers it is seen ahead of time, so cross-sell is wound down before the agents leave.
    /// </summary>
    public int? ScheduledAgents { get; init; }

    /// <summary>
    /// The relative standard deviation of the interval's arrival rate beyond Poisson noise (0 to 1), as the forecaster
    /// measures its own errors; null when unknown, and the policy then derives it from <see cref="UpperCalls"/>.
    /// </summary>
    public double? RateCv { get; init; }

    /// <summary>
    /// The end of the newest interval the forecaster had learned from when it made this forecast; null when unknown
    /// (the simulator's forecasts). The decision records its age, so a forecast that stopped learning (its refresh
    /// failing) can be told apart afterwards.
    /// </summary>
    public DateTimeOffset? LearnedThrough { get; init; }

    /// <summary>The interval's end.</summary>
    public DateTimeOffset End => Start.AddSeconds(LengthSeconds);
}
