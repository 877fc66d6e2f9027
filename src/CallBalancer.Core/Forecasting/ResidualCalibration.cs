namespace CallBalancer.Core.Forecasting;

/// <summary>
/// Online calibration of prediction intervals for counts modelled as overdispersed Poisson: variance
/// mu + Dispersion * mu^2 (the negative-binomial form), and the lower and upper quantiles of the standardised residual
/// (y - mu) / sqrt(variance) tracked by Robbins-Monro stochastic approximation so that the intervals reach their nominal
/// coverage on past residuals.
/// </summary>
public sealed class ResidualCalibration
{
    /// <summary>Exponentially weighted sum of (y - mu)^2 - mu (calls squared): the variance beyond Poisson.</summary>
    public double ExcessVarianceSum { get; set; }

    /// <summary>Exponentially weighted sum of mu^2 over the same residuals (calls squared).</summary>
    public double SquaredMeanSum { get; set; }

    /// <summary>Lower quantile of the standardised residual (by default its 10% point).</summary>
    public double LowerQuantile { get; set; } = -1.2815515655446004;

    /// <summary>Upper quantile of the standardised residual (by default its 90% point).</summary>
    public double UpperQuantile { get; set; } = 1.2815515655446004;

    /// <summary>Residuals seen.</summary>
    public long Count { get; set; }

    /// <summary>
    /// The negative-binomial dispersion: excess variance over Poisson per squared mean (dimensionless, at least 0).
    /// </summary>
    public double Dispersion => SquaredMeanSum > 0 ? Math.Max(0, ExcessVarianceSum / SquaredMeanSum) : 0;

    /// <summary>The standard deviation of a count with mean <paramref name="mean"/> (calls).</summary>
    /// <param name="mean">Expected calls in the interval.</param>
    public double StandardDeviation(double mean) => Math.Sqrt(Math.Max(0, mean + Dispersion * mean * mean));

    /// <summary>A deep copy.</summary>
    public ResidualCalibration Clone() => (ResidualCalibration)MemberwiseClone();
}
