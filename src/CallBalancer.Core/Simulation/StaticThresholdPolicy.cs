using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// The hand-run rule: every agent cross-sells while nobody waits and at least k agents are idle; otherwise every
/// agent is service-only. No forecast, no dwell, no hysteresis; a flip for an agent on a call is pending until the
/// call ends, as for every policy.
/// </summary>
public sealed class StaticThresholdPolicy : ISimulatedPolicy
{
    /// <summary>Creates the rule with k idle agents.</summary>
    public StaticThresholdPolicy(int idleAgents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(idleAgents);
        IdleAgents = idleAgents;
    }

    /// <summary>k: idle agents needed before anyone cross-sells (agents).</summary>
    public int IdleAgents { get; }

    /// <inheritdoc />
    public string Name => "static-threshold";

    /// <inheritdoc />
    public AgentMode ModeAtLogin => AgentMode.ServiceOnly;

    /// <inheritdoc />
    public bool Reacts => true;

    /// <inheritdoc />
    public ForecastSource Forecast => ForecastSource.None;

    /// <inheritdoc />
    public ModeDecision? Decide(RebalanceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var snapshot = input.Snapshot;
        if (snapshot is null)
        {
            return null;
        }

        var idle = 0;
        foreach (var a in snapshot.Agents)
        {
            idle += a.State == AgentState.Available ? 1 : 0;
        }

        var wanted = snapshot.WaitingCalls == 0 && idle >= IdleAgents ? AgentMode.CrossSell : AgentMode.ServiceOnly;
        var states = new Dictionary<string, AgentState>(snapshot.Agents.Count, StringComparer.Ordinal);
        foreach (var a in snapshot.Agents)
        {
            states[a.AgentId] = a.State;
        }

        var changes = new List<AgentModeChange>(input.CurrentModes.Count);
        foreach (var m in input.CurrentModes)
        {
            var onCall = states.TryGetValue(m.AgentId, out var st) && st == AgentState.OnCall;
            if (m.Mode == wanted)
            {
                changes.Add(new AgentModeChange(m.AgentId, m.Mode, null, m.Since, m.Reason, m.PendingMode is not null));
            }
            else if (onCall)
            {
                changes.Add(new AgentModeChange(m.AgentId, m.Mode, wanted, m.Since, "static-threshold", m.PendingMode != wanted));
            }
            else
            {
                changes.Add(new AgentModeChange(m.AgentId, wanted, null, input.Now, "static-threshold", true));
            }
        }

        return new ModeDecision(string.Empty, snapshot.QueueId, input.Now, "static-threshold", string.Empty,
            wanted == AgentMode.CrossSell ? changes.Count : 0, changes, EmptyInputs);
    }

    private static readonly IReadOnlyDictionary<string, double> EmptyInputs = new Dictionary<string, double>();
}
