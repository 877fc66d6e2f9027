using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// The hand-run rule: every agent cross-sells while nobody waits and at least k agents are idle; otherwise every
/// agent is service-only. No forecast, no dwell, no hysteresis; a flip for an agent on a call is pending until the
/// call ends, as for every policy. Given blocked half-hours (a research tool of the hindsight benchmark, not a policy
/// anyone could run live), it keeps every agent service-only through each of them and the
/// <see cref="BlockLeadSeconds"/> before it.
/// </summary>
public sealed class StaticThresholdPolicy : ISimulatedPolicy
{
    /// <summary>Creates the rule with k idle agents.</summary>
    /// <param name="idleAgents">k: idle agents needed before anyone cross-sells.</param>
    /// <param name="blockedHalfHours">Starts (seconds after midnight) of the half-hours with no cross-sell; null for none.</param>
    public StaticThresholdPolicy(int idleAgents, IReadOnlySet<int>? blockedHalfHours = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(idleAgents);
        IdleAgents = idleAgents;
        BlockedHalfHours = blockedHalfHours ?? new HashSet<int>();
    }

    /// <summary>
    /// How long before a blocked half-hour the agents are flipped out (seconds): an agent on a call flips at its end, so a
    /// call answered in the half-hour meets a service-only agent. 300.
    /// </summary>
    public const int BlockLeadSeconds = 300;

    /// <summary>Starts (seconds after midnight) of the half-hours in which nobody cross-sells.</summary>
    public IReadOnlySet<int> BlockedHalfHours { get; }

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

        var wanted = snapshot.WaitingCalls == 0 && idle >= IdleAgents && !Blocked(input.Now) ? AgentMode.CrossSell : AgentMode.ServiceOnly;
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

    private bool Blocked(DateTimeOffset now)
    {
        if (BlockedHalfHours.Count == 0)
        {
            return false;
        }

        var t = (int)now.TimeOfDay.TotalSeconds;
        var halfHour = t / 1800 * 1800;
        return BlockedHalfHours.Contains(halfHour) || (t - halfHour >= 1800 - BlockLeadSeconds && BlockedHalfHours.Contains(halfHour + 1800));
    }

    private static readonly IReadOnlyDictionary<string, double> EmptyInputs = new Dictionary<string, double>();
}
