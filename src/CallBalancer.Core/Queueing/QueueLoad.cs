namespace CallBalancer.Core.Queueing;

/// <summary>
/// The traffic offered to one queue: a Poisson arrival rate and an exponential handle time, the inputs of
/// every Erlang model here. The offered load <c>A = λ · AHT</c> is in Erlangs (agents' worth of work).
/// </summary>
public readonly record struct QueueLoad
{
    /// <summary>Creates a load from an arrival rate per second and a mean handle time in seconds.</summary>
    /// <param name="arrivalRatePerSecond">λ, offered calls per second (≥ 0, finite).</param>
    /// <param name="averageHandleSeconds">AHT, the mean handle time of a call in seconds (talk plus wrap-up, &gt; 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate that is negative or not finite, or an AHT that is not positive.</exception>
    public QueueLoad(double arrivalRatePerSecond, double averageHandleSeconds)
    {
        if (!double.IsFinite(arrivalRatePerSecond) || arrivalRatePerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(arrivalRatePerSecond), arrivalRatePerSecond, "The arrival rate must be a finite number of calls per second, at least 0.");
        }

        if (!double.IsFinite(averageHandleSeconds) || averageHandleSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(averageHandleSeconds), averageHandleSeconds, "The average handle time must be a finite number of seconds above 0.");
        }

        ArrivalRatePerSecond = arrivalRatePerSecond;
        AverageHandleSeconds = averageHandleSeconds;
    }

    /// <summary>λ, offered calls per second.</summary>
    public double ArrivalRatePerSecond { get; }

    /// <summary>AHT, the mean handle time of one call (seconds).</summary>
    public double AverageHandleSeconds { get; }

    /// <summary>Offered calls per hour (<c>3600 λ</c>).</summary>
    public double CallsPerHour => ArrivalRatePerSecond * 3600.0;

    /// <summary>The offered load <c>A = λ · AHT</c> (Erlangs): the mean number of agents the calls keep busy.</summary>
    public double OfferedLoadErlangs => ArrivalRatePerSecond * AverageHandleSeconds;

    /// <summary>A load from calls per hour, the unit workforce planners use (360 calls/h is 0.1 calls/s).</summary>
    /// <param name="callsPerHour">Offered calls per hour (≥ 0).</param>
    /// <param name="averageHandleSeconds">Mean handle time (seconds, &gt; 0).</param>
    public static QueueLoad FromCallsPerHour(double callsPerHour, double averageHandleSeconds) =>
        new(callsPerHour / 3600.0, averageHandleSeconds);

    /// <summary>The same arrivals with another mean handle time (seconds), e.g. lengthened by cross-sell pitches.</summary>
    /// <param name="averageHandleSeconds">The new mean handle time (seconds, &gt; 0).</param>
    public QueueLoad WithAverageHandleSeconds(double averageHandleSeconds) => new(ArrivalRatePerSecond, averageHandleSeconds);
}
