using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// Our policy in the simulator: exactly the <see cref="ModePolicy"/> the <c>Rebalance</c> timer runs, fed either the
/// intraday forecast (<c>forecast</c>) or the true arrivals of the coming intervals (<c>clairvoyant</c>).
/// </summary>
public sealed class ForecastModePolicy : ISimulatedPolicy
{
    private readonly ModePolicy _policy = new();
    private long _decisions;

    /// <summary>Creates the policy with its forecast source.</summary>
    public ForecastModePolicy(ForecastSource forecast)
    {
        Forecast = forecast;
    }

    /// <inheritdoc />
    public string Name => Forecast == ForecastSource.TrueArrivals ? "clairvoyant" : "forecast";

    /// <inheritdoc />
    public AgentMode ModeAtLogin => AgentMode.ServiceOnly;

    /// <inheritdoc />
    public bool Reacts => true;

    /// <inheritdoc />
    public bool HoldsOffers => true;

    /// <inheritdoc />
    public ForecastSource Forecast { get; }

    /// <summary>
    /// A supervisor's settings whose cross-sell windows hold this queue (the what-if), or null for none. Outside every
    /// window agents are held service-only exactly as the live rebalance holds them (<see cref="ModeOverrides.Resolve"/>,
    /// then <see cref="OverrideResolution.Decide"/>).
    /// </summary>
    public SupervisorSettings? Supervisor { get; init; }

    /// <summary>How many decisions each rule made (rule name to count), for the explanation of a run.</summary>
    public Dictionary<string, int> RuleCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>How many agent changes (a mode or a pending mode set or cleared) each rule's decisions made.</summary>
    public Dictionary<string, int> RuleChanges { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ModeDecision? Decide(RebalanceInput input)
    {
        var id = (++_decisions).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var held = Supervisor is { CrossSellWindows.Count: > 0 } supervisor
            ? ModeOverrides.Resolve([], supervisor, input.CurrentModes.Select(m => m.AgentId).Concat(input.Snapshot?.Agents.Select(a => a.AgentId) ?? []), input.Now)
            : OverrideResolution.None;
        var decision = held.Any ? held.Decide(input, i => _policy.Decide(i, id)) : _policy.Decide(input, id);
        RuleCounts[decision.Rule] = RuleCounts.GetValueOrDefault(decision.Rule) + 1;
        RuleChanges[decision.Rule] = RuleChanges.GetValueOrDefault(decision.Rule) + decision.Changes.Count();
        return decision;
    }
}
