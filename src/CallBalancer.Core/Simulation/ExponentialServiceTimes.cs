namespace CallBalancer.Core.Simulation;

/// <summary>Exponential service times (the Erlang models' assumption; used for sanity checks against them).</summary>
public sealed class ExponentialServiceTimes : IServiceTimeDistribution
{
    /// <summary>Creates the distribution with the given mean (seconds).</summary>
    public ExponentialServiceTimes(double meanSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(meanSeconds);
        Mean = meanSeconds;
    }

    /// <inheritdoc />
    public double Mean { get; }

    /// <inheritdoc />
    public double Cv => 1;

    /// <inheritdoc />
    public double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return -Mean * Math.Log(1.0 - random.NextDouble());
    }
}
