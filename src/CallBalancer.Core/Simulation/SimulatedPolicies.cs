using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Simulation;

/// <summary>The policies the simulator compares, by name.</summary>
public static class SimulatedPolicies
{
    /// <summary>The policy names: service-only, always, static-threshold, forecast, clairvoyant.</summary>
    public static IReadOnlyList<string> Names { get; } = ["service-only", "always", "static-threshold", "forecast", "clairvoyant"];

    /// <summary>Creates a fresh policy by name; <paramref name="idleAgents"/> is k of the static threshold.</summary>
    public static ISimulatedPolicy Create(string name, int idleAgents = 2) => name switch
    {
        "service-only" => new FixedModePolicy(AgentMode.ServiceOnly),
        "always" => new FixedModePolicy(AgentMode.CrossSell),
        "static-threshold" => new StaticThresholdPolicy(idleAgents),
        "forecast" => new ForecastModePolicy(ForecastSource.Intraday),
        "clairvoyant" => new ForecastModePolicy(ForecastSource.TrueArrivals),
        _ => throw new ArgumentException($"Unknown policy '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };
}
