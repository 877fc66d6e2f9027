namespace CallBalancer.Core.Simulation;

/// <summary>
/// A service-time distribution stretched to another mean: the shape (and so the coefficient of variation) of
/// <c>inner</c>, every draw multiplied by <c>mean / inner.Mean</c>. The what-if uses it to replay a queue's own traffic
/// with that queue's handle time and the real spread of the reference calls.
/// </summary>
public sealed class ScaledServiceTimes : IServiceTimeDistribution
{
    private readonly IServiceTimeDistribution _inner;
    private readonly double _factor;

    /// <summary>Stretches <paramref name="inner"/> to mean <paramref name="mean"/> seconds (positive, finite).</summary>
    public ScaledServiceTimes(IServiceTimeDistribution inner, double mean)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!(mean > 0) || !double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean service time must be a positive number of seconds.");
        }

        _inner = inner;
        Mean = mean;
        _factor = mean / inner.Mean;
    }

    /// <inheritdoc />
    public double Mean { get; }

    /// <inheritdoc />
    public double Cv => _inner.Cv;

    /// <inheritdoc />
    public double Sample(Random random) => _inner.Sample(random) * _factor;
}
