using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Simulation;

/// <summary>A mode policy the simulator can run at the timer cadence.</summary>
public interface ISimulatedPolicy
{
    /// <summary>The policy's name, e.g. <c>forecast</c>.</summary>
    string Name { get; }

    /// <summary>The mode an agent has when logging in.</summary>
    AgentMode ModeAtLogin { get; }

    /// <summary>False for a policy that never changes a mode after login: the simulator then skips its timer runs.</summary>
    bool Reacts { get; }

    /// <summary>The forecast the policy is fed.</summary>
    ForecastSource Forecast { get; }

    /// <summary>One timer run: the decision from what the policy can see, or null for no change.</summary>
    ModeDecision? Decide(RebalanceInput input);
}
