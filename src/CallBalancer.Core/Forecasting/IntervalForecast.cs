namespace CallBalancer.Core.Forecasting;

/// <summary>The forecast arrivals of one interval: the expected count and a central prediction interval.</summary>
/// <param name="IntervalStart">Local wall-clock start of the interval.</param>
/// <param name="Mean">Expected calls arriving in the interval (calls per interval).</param>
/// <param name="Lower">Lower bound of the prediction interval (calls per interval; by default the 10% point of an 80% interval).</param>
/// <param name="Upper">Upper bound of the prediction interval (calls per interval; by default the 90% point).</param>
public readonly record struct IntervalForecast(DateTime IntervalStart, double Mean, double Lower, double Upper)
{
    /// <summary>True when <paramref name="calls"/> lies within [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
    /// <param name="calls">An observed count for the interval.</param>
    public bool Covers(double calls) => calls >= Lower && calls <= Upper;

    /// <summary>
    /// The relative standard deviation of the interval's arrival <em>rate</em> (0 to 1, e.g. 0.05 for 5%): how far the
    /// forecaster's own recent errors say the level may be off, beyond the Poisson noise of the count (variance =
    /// mean) that a queueing model already carries. 0 when the forecaster gives none.
    /// </summary>
    public double RateCv { get; init; }
}
