using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Supervision;

/// <summary>Turns a queue's stored overrides and cross-sell windows into what the policy must honour at one instant.</summary>
public static class ModeOverrides
{
    /// <summary>
    /// Resolves the overrides in force at <paramref name="now"/> for the given agents. An agent's own override beats
    /// a queue-wide one (a supervisor singled that agent out); outside every cross-sell window every agent not held
    /// otherwise is held service-only. Lapsed overrides are ignored.
    /// </summary>
    /// <param name="overrides">The queue's stored overrides, lapsed ones included.</param>
    /// <param name="settings">The queue's supervisor settings, or null for none (no windows).</param>
    /// <param name="agentIds">The agents of the queue (from the snapshot and the recorded modes).</param>
    /// <param name="now">The decision time.</param>
    public static OverrideResolution Resolve(
        IEnumerable<ModeOverride> overrides, SupervisorSettings? settings, IEnumerable<string> agentIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(agentIds);
        var active = overrides.Where(o => o.IsActiveAt(now)).ToList();
        var outsideWindow = settings is not null && !settings.AllowsCrossSellAt(now);
        if (active.Count == 0 && !outsideWindow)
        {
            return OverrideResolution.None;
        }

        var queueMode = active.FirstOrDefault(o => o.Scope == OverrideScope.Queue)?.Mode;
        var byAgent = active.Where(o => o is { Scope: OverrideScope.Agent, AgentId: not null, Mode: not null })
            .ToDictionary(o => o.AgentId!, o => o.Mode!.Value, StringComparer.Ordinal);
        var forced = new Dictionary<string, AgentMode>(StringComparer.Ordinal);
        foreach (var agentId in agentIds.Distinct(StringComparer.Ordinal))
        {
            if (byAgent.TryGetValue(agentId, out var own))
            {
                forced[agentId] = own;
            }
            else if (queueMode is { } mode)
            {
                forced[agentId] = mode;
            }
            else if (outsideWindow)
            {
                forced[agentId] = AgentMode.ServiceOnly;
            }
        }

        return new OverrideResolution(forced, active.Any(o => o.Scope == OverrideScope.Freeze), outsideWindow, active);
    }
}
