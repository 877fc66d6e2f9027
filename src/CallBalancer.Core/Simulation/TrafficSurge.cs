namespace CallBalancer.Core.Simulation;

/// <summary>A surge the forecast does not know: the true counts of a window are multiplied by a factor.</summary>
/// <param name="StartSeconds">Window start (seconds since midnight).</param>
/// <param name="DurationSeconds">Window length (seconds).</param>
/// <param name="Factor">Multiplier of the counts, e.g. 1.35 for 35% above forecast.</param>
public sealed record TrafficSurge(double StartSeconds, double DurationSeconds, double Factor);
