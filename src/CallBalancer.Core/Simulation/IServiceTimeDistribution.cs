namespace CallBalancer.Core.Simulation;

/// <summary>A distribution of service (handle) times of calls without a cross-sell offer, in seconds.</summary>
public interface IServiceTimeDistribution
{
    /// <summary>The mean service time (seconds).</summary>
    double Mean { get; }

    /// <summary>The coefficient of variation (standard deviation over mean).</summary>
    double Cv { get; }

    /// <summary>Draws one service time (seconds, positive).</summary>
    double Sample(Random random);
}
