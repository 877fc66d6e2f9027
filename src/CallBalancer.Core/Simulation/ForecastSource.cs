namespace CallBalancer.Core.Simulation;

/// <summary>Which forecast a simulated policy is fed.</summary>
public enum ForecastSource
{
    /// <summary>No forecast (the policy decides from snapshots alone).</summary>
    None,

    /// <summary>The day-ahead forecast updated during the day from the counts observed so far (what runs live).</summary>
    Intraday,

    /// <summary>The true arrivals of the coming intervals (the clairvoyant comparison).</summary>
    TrueArrivals,
}
