namespace CallBalancer.Core.Simulation;

/// <summary>Lognormal service times with a given mean and coefficient of variation (σ² = ln(1 + cv²), μ = ln(mean) − σ²/2).</summary>
public sealed class LognormalServiceTimes : IServiceTimeDistribution
{
    private readonly double _mu;
    private readonly double _sigma;

    /// <summary>Creates the distribution.</summary>
    /// <param name="meanSeconds">Mean service time (seconds), positive.</param>
    /// <param name="cv">Coefficient of variation, positive.</param>
    public LognormalServiceTimes(double meanSeconds, double cv)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(meanSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cv);
        var sigma2 = Math.Log(1 + cv * cv);
        _sigma = Math.Sqrt(sigma2);
        _mu = Math.Log(meanSeconds) - sigma2 / 2;
        Mean = meanSeconds;
        Cv = cv;
    }

    /// <inheritdoc />
    public double Mean { get; }

    /// <inheritdoc />
    public double Cv { get; }

    /// <inheritdoc />
    public double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);

        // Box-Muller: one standard normal from two uniforms.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Exp(_mu + _sigma * z);
    }
}
