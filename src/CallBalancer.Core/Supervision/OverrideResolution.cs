using System.Globalization;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Supervision;

/// <summary>What the supervisor's overrides and cross-sell windows mean for one rebalance of a queue.</summary>
/// <param name="ForcedModes">Agents held in a mode (agent id to mode): the policy must not change them.</param>
/// <param name="Frozen">True when the queue's modes are frozen: only the emergency rule may change them.</param>
/// <param name="OutsideCrossSellWindow">True when no cross-sell window is open, so every agent not forced otherwise is held service-only.</param>
/// <param name="ActiveOverrides">The overrides in force, for the decision record.</param>
public sealed record OverrideResolution(
    IReadOnlyDictionary<string, AgentMode> ForcedModes,
    bool Frozen,
    bool OutsideCrossSellWindow,
    IReadOnlyList<ModeOverride> ActiveOverrides)
{
    /// <summary>Nothing overridden.</summary>
    public static OverrideResolution None { get; } = new(new Dictionary<string, AgentMode>(), false, false, []);

    /// <summary>True when anything is overridden.</summary>
    public bool Any => ForcedModes.Count > 0 || Frozen || OutsideCrossSellWindow;

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
