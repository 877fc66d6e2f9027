using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Simulation;

/// <summary>The two fixed baselines: <c>service-only</c> (nobody cross-sells) and <c>always</c> (everyone does).</summary>
public sealed class FixedModePolicy : ISimulatedPolicy
{
    /// <summary>Creates the baseline with the given fixed mode.</summary>
    public FixedModePolicy(AgentMode mode)
    {
        ModeAtLogin = mode;
    }

    /// <inheritdoc />
    public string Name => ModeAtLogin == AgentMode.CrossSell ? "always" : "service-only";

    /// <inheritdoc />
    public AgentMode ModeAtLogin { get; }

    /// <inheritdoc />
    public bool Reacts => false;

    /// <inheritdoc />
    public ForecastSource Forecast => ForecastSource.None;

    /// <inheritdoc />
    public ModeDecision? Decide(RebalanceInput input) => null;
}
