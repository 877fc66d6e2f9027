using System.Globalization;

namespace CallBalancer.Core.Balancing;

/// <summary>
/// Decides every agent's mode for one queue from its latest snapshot. This is the code the <c>Rebalance</c>
/// timer runs. The rule is the real-time one that needs no history: keep a reserve of idle agents, let the
/// rest cross-sell while nobody waits, and send everyone back to service as soon as a caller waits too long
/// (the emergency rule). When in doubt (no snapshot, a stale one) every agent is service-only.
/// </summary>
public sealed class ModePolicy
{
    /// <summary>Decides the modes for one queue. Pure: the same input gives the same modes.</summary>
    /// <param name="input">The snapshot, the current modes, the settings and the decision time.</param>
    /// <param name="decisionId">The id to stamp on the decision; a new time-ordered id when null.</param>
    public ModeDecision Decide(RebalanceInput input, string? decisionId = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = decisionId ?? Guid.CreateVersion7(input.Now).ToString("N");
        var settings = input.Settings;
        var snapshot = input.Snapshot;
        var current = input.CurrentModes.ToDictionary(m => m.AgentId, StringComparer.Ordinal);
        var queueId = snapshot?.QueueId ?? input.CurrentModes.FirstOrDefault()?.QueueId ?? string.Empty;

        if (snapshot is null)
        {
            return AllServiceOnly(input, id, queueId, "no-snapshot",
                "No snapshot of this queue has arrived yet, so every agent is service-only.",
                new Dictionary<string, double>());
        }

        var ageSeconds = (input.Now - snapshot.ObservedAt).TotalSeconds;
        var inputs = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["waitingCalls"] = snapshot.WaitingCalls,
            ["oldestWaitSeconds"] = snapshot.OldestWaitSeconds,
            ["staffedAgents"] = snapshot.StaffedAgents,
            ["idleAgents"] = snapshot.IdleAgents,
            ["idleReserve"] = settings.IdleReserve,
            ["snapshotAgeSeconds"] = Math.Round(ageSeconds, 3),
        };

        if (ageSeconds > settings.StaleSnapshotSeconds)
        {
            return AllServiceOnly(input, id, queueId, "stale-snapshot",
                string.Create(CultureInfo.InvariantCulture,
                    $"The latest snapshot is {ageSeconds:0} s old (limit {settings.StaleSnapshotSeconds:0} s): service-only until a fresh one arrives."),
                inputs);
        }

        if (snapshot.OldestWaitSeconds >= settings.EmergencyWaitSeconds)
        {
            return AllServiceOnly(input, id, queueId, "emergency-wait",
                string.Create(CultureInfo.InvariantCulture,
                    $"A caller has waited {snapshot.OldestWaitSeconds:0} s (limit {settings.EmergencyWaitSeconds:0} s): every agent back to service."),
                inputs);
        }

        if (snapshot.WaitingCalls >= settings.EmergencyQueueLength)
        {
            return AllServiceOnly(input, id, queueId, "emergency-queue-length",
                string.Create(CultureInfo.InvariantCulture,
                    $"{snapshot.WaitingCalls} callers are waiting (limit {settings.EmergencyQueueLength}): every agent back to service."),
                inputs);
        }

        var staffed = snapshot.Agents.Where(a => a.State.IsStaffed()).ToList();
        var currentCrossSell = staffed.Count(a => current.TryGetValue(a.AgentId, out var m) && m.Mode == AgentMode.CrossSell);
        string rule;
        string explanation;
        int allowed;
        if (snapshot.WaitingCalls > 0)
        {
            // Somebody waits, but not yet past the emergency limit: add nobody, take nobody away (no flicker).
            rule = "hold-while-waiting";
            allowed = currentCrossSell;
            explanation = string.Create(CultureInfo.InvariantCulture,
                $"{snapshot.WaitingCalls} caller(s) waiting: no new cross-sell; {allowed} agent(s) keep their mode.");
        }
        else
        {
            // Keep the reserve idle; if fewer than the reserve are idle, shrink cross-sell by the shortfall.
            var shortfall = Math.Max(0, settings.IdleReserve - snapshot.IdleAgents);
            allowed = Math.Max(0, staffed.Count - settings.IdleReserve - shortfall);
            rule = "idle-reserve";
            explanation = string.Create(CultureInfo.InvariantCulture,
                $"Nobody waiting, {snapshot.IdleAgents} idle of {staffed.Count} staffed; keeping {settings.IdleReserve} in reserve lets {allowed} cross-sell.");
        }

        inputs["crossSellAllowed"] = allowed;

        // Stability first: agents already cross-selling keep it; then the idle ones, then by id for determinism.
        var chosen = staffed
            .OrderByDescending(a => current.TryGetValue(a.AgentId, out var m) && m.Mode == AgentMode.CrossSell)
            .ThenByDescending(a => a.State == AgentState.Available)
            .ThenBy(a => a.AgentId, StringComparer.Ordinal)
            .Take(allowed)
            .Select(a => a.AgentId)
            .ToHashSet(StringComparer.Ordinal);

        var agents = new List<AgentModeChange>();
        foreach (var agentId in AllAgentIds(snapshot, input.CurrentModes))
        {
            var mode = chosen.Contains(agentId) ? AgentMode.CrossSell : AgentMode.ServiceOnly;
            var reason = mode == AgentMode.CrossSell
                ? explanation
                : staffed.Any(a => a.AgentId == agentId)
                    ? string.Create(CultureInfo.InvariantCulture, $"Kept for inbound calls ({rule}): {explanation}")
                    : "Not taking calls: service-only.";
            agents.Add(Change(current, agentId, mode, input.Now, reason));
        }

        return new ModeDecision(id, queueId, input.Now, rule, explanation, allowed, agents, inputs);
    }

    private static ModeDecision AllServiceOnly(
        RebalanceInput input, string id, string queueId, string rule, string explanation, Dictionary<string, double> inputs)
    {
        inputs["crossSellAllowed"] = 0;
        var current = input.CurrentModes.ToDictionary(m => m.AgentId, StringComparer.Ordinal);
        var agents = AllAgentIds(input.Snapshot, input.CurrentModes)
            .Select(agentId => Change(current, agentId, AgentMode.ServiceOnly, input.Now, explanation))
            .ToList();
        return new ModeDecision(id, queueId, input.Now, rule, explanation, 0, agents, inputs);
    }

    private static IEnumerable<string> AllAgentIds(QueueSnapshot? snapshot, IReadOnlyList<AgentModeState> current) =>
        (snapshot?.Agents.Select(a => a.AgentId) ?? [])
            .Concat(current.Select(m => m.AgentId))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static AgentModeChange Change(
        Dictionary<string, AgentModeState> current, string agentId, AgentMode mode, DateTimeOffset now, string reason)
    {
        if (current.TryGetValue(agentId, out var before) && before.Mode == mode && before.PendingMode is null)
        {
            return new AgentModeChange(agentId, mode, null, before.Since, before.Reason, Changed: false);
        }

        return new AgentModeChange(agentId, mode, null, now, reason, Changed: true);
    }
}
