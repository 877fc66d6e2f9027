using CallBalancer.Core.Balancing;

namespace CallBalancer.Functions.Balancing;

/// <summary>The body of <c>GET /api/agents/{agentId}/mode</c>.</summary>
internal sealed record AgentModeResponse(
    string AgentId,
    string? QueueId,
    string Mode,
    string? PendingMode,
    DateTimeOffset? Since,
    string Reason,
    string? DecisionId,
    bool FailSafe)
{
    public static AgentModeResponse From(AgentModeState s) =>
        new(s.AgentId, s.QueueId, s.Mode.ToName(), s.PendingMode?.ToName(), s.Since, s.Reason, s.DecisionId, FailSafe: false);

    public static AgentModeResponse ServiceOnlyFailSafe(string agentId, string? queueId, string reason, string? decisionId) =>
        new(agentId, queueId, AgentMode.ServiceOnly.ToName(), null, null, reason, decisionId, FailSafe: true);
}
