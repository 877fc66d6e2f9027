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

    /// <summary>
    /// True when the product's offer hold (<see cref="OfferHold"/>) applies to this policy's cross-sellers, as it does to
    /// ours in production; the comparison policies make every offer their mode allows.
    /// </summary>
    bool HoldsOffers => false;

    /// <summary>The forecast the policy is fed.</summary>
    ForecastSource Forecast { get; }

    /// <summary>One timer run: the decision from what the policy can see, or null for no change.</summary>
    ModeDecision? Decide(RebalanceInput input);
}
