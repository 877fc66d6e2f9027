using System.Globalization;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Supervision;

/// <summary>What the supervisor's overrides and cross-sell windows mean for one rebalance of a queue.</summary>
/// <param name="ForcedModes">Agents held in a mode (agent id to mode): the policy must not change them.</param>
/// <param name="Frozen">True when the queue's modes are frozen: only the emergency rule may change them.</param>
/// <param name="OutsideCrossSellWindow">True when no cross-sell window is open, so every agent not forced otherwise is held service-only.</param>
/// <param name="ActiveOverrides">The overrides in force, for the decision record.</param>
/// <param name="ForcedReasons">For each agent in <paramref name="ForcedModes"/>, the sentence its desktop shows.</param>
public sealed record OverrideResolution(
    IReadOnlyDictionary<string, AgentMode> ForcedModes,
    bool Frozen,
    bool OutsideCrossSellWindow,
    IReadOnlyList<ModeOverride> ActiveOverrides,
    IReadOnlyDictionary<string, string> ForcedReasons)
{
    /// <summary>Nothing overridden.</summary>
    public static OverrideResolution None { get; } = new(new Dictionary<string, AgentMode>(), false, false, [], new Dictionary<string, string>());

    /// <summary>True when anything is overridden.</summary>
    public bool Any => ForcedModes.Count > 0 || Frozen || OutsideCrossSellWindow;

    /// <summary>
    /// The decision <paramref name="decide"/> makes for <paramref name="input"/> under these overrides: the policy sees
    /// each forced agent already in its forced mode (<see cref="WithForcedModes"/>) and is told which agents are forced
    /// and whether the queue is frozen; the decision then puts the forced agents in their modes
    /// (<see cref="Enforce"/>) and names the overrides (<see cref="Annotate"/>). The live rebalance and the what-if
    /// both decide through this, so a supervisor's hand means the same in both.
    /// </summary>
    public ModeDecision Decide(RebalanceInput input, Func<RebalanceInput, ModeDecision> decide)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(decide);
        var decision = decide(input with
        {
            CurrentModes = WithForcedModes(input.CurrentModes, input.Now),
            ForcedModes = ForcedModes,
            Frozen = Frozen,
        });
        return Annotate(Enforce(decision, input.CurrentModes, input.Now));
    }

    /// <summary>
    /// The recorded modes as the policy should see them: each forced agent already in its forced mode, so the policy
    /// (which never touches a forced agent) counts a supervisor's cross-sellers in the queue's capacity.
    /// </summary>
    public IReadOnlyList<AgentModeState> WithForcedModes(IReadOnlyList<AgentModeState> current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return ForcedModes.Count == 0
            ? current
            : current.Select(m => ForcedModes.TryGetValue(m.AgentId, out var f) && (m.Mode != f || m.PendingMode is not null)
                ? m with { Mode = f, PendingMode = null, Since = now, Reason = ForcedReasons[m.AgentId], Forced = true }
                : m).ToList();
    }

    /// <summary>
    /// The decision with every forced agent in its forced mode, at once (a supervisor's instruction does not wait for
    /// the end of a call) and with the override as its reason, marked changed where that differs from
    /// <paramref name="current"/>, the modes recorded before.
    /// </summary>
    public ModeDecision Enforce(ModeDecision decision, IReadOnlyList<AgentModeState> current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(current);
        if (ForcedModes.Count == 0)
        {
            return decision;
        }

        var stored = current.ToDictionary(m => m.AgentId, StringComparer.Ordinal);
        var agents = decision.Agents.Select(a =>
        {
            if (!ForcedModes.TryGetValue(a.AgentId, out var forced))
            {
                return a;
            }

            // Already in the forced mode: only the reason the desktop shows changes (written once, then unchanged).
            stored.TryGetValue(a.AgentId, out var before);
            var reason = ForcedReasons[a.AgentId];
            return before is null || before.Mode != forced || before.PendingMode is not null
                ? new AgentModeChange(a.AgentId, forced, null, now, reason, true) { Forced = true }
                : new AgentModeChange(a.AgentId, forced, null, before.Since, reason, before.Reason != reason || !before.Forced) { Forced = true };
        }).ToList();
        return decision with { Agents = agents };
    }

    /// <summary>
    /// The decision with the overrides made visible: their numbers added to its inputs and one sentence added to its
    /// explanation, so a flip caused (or prevented) by a supervisor reads as such in the decision log.
    /// </summary>
    public ModeDecision Annotate(ModeDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!Any)
        {
            return decision;
        }

        var inputs = new Dictionary<string, double>(decision.Inputs, StringComparer.Ordinal)
        {
            ["override.forcedAgents"] = ForcedModes.Count,
            ["override.frozen"] = Frozen ? 1 : 0,
            ["override.outsideCrossSellWindow"] = OutsideCrossSellWindow ? 1 : 0,
        };
        var parts = new List<string>();
        if (ActiveOverrides.FirstOrDefault(o => o.Scope == OverrideScope.Queue) is { } queue)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"queue forced {queue.Mode?.ToName()} by {queue.SetBy} ({queue.Reason})"));
        }

        var agents = ActiveOverrides.Count(o => o.Scope == OverrideScope.Agent);
        if (agents > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{agents} agent(s) forced by a supervisor"));
        }

        if (ActiveOverrides.FirstOrDefault(o => o.Scope == OverrideScope.Freeze) is { } freeze)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"modes frozen by {freeze.SetBy} ({freeze.Reason})"));
        }

        if (OutsideCrossSellWindow)
        {
            parts.Add("outside every cross-sell window");
        }

        return decision with
        {
            Inputs = inputs,
            Explanation = decision.Explanation + " Supervisor: " + string.Join("; ", parts) + ".",
        };
    }
}
