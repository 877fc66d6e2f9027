namespace CallBalancer.Core.Simulation;

/// <summary>
/// Service times resampled from observed ones (the empirical distribution), e.g. the answered calls of the 1999
/// "Anonymous Bank" per-call file: this keeps the real spread (mean 177 s, median 107 s, a long tail).
/// </summary>
public sealed class EmpiricalServiceTimes : IServiceTimeDistribution
{
    private readonly double[] _values;

    /// <summary>Builds the distribution from observed service times (seconds); non-positive values are dropped.</summary>
    public EmpiricalServiceTimes(IEnumerable<double> serviceTimesSeconds)
    {
        ArgumentNullException.ThrowIfNull(serviceTimesSeconds);
        _values = serviceTimesSeconds.Where(v => v > 0 && double.IsFinite(v)).ToArray();
        if (_values.Length == 0)
        {
            throw new ArgumentException("At least one positive service time is needed.", nameof(serviceTimesSeconds));
        }

        var mean = 0.0;
        foreach (var v in _values)
        {
            mean += v;
        }

        mean /= _values.Length;
        var variance = 0.0;
        foreach (var v in _values)
        {
            variance += (v - mean) * (v - mean);
        }

        variance /= _values.Length;
        Mean = mean;
        Cv = Math.Sqrt(variance) / mean;
    }

    /// <summary>How many observed service times the distribution resamples from.</summary>
    public int Count => _values.Length;

    /// <inheritdoc />
    public double Mean { get; }

    /// <inheritdoc />
    public double Cv { get; }

    /// <inheritdoc />
    public double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _values[random.Next(_values.Length)];
    }
}
