using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Supervision;

/// <summary>A supervisor's instruction that overrides the policy for a queue or an agent, until a time or until cleared.</summary>
/// <param name="Id">The override's id within its queue: <c>queue</c>, <c>freeze</c> or <c>agent:{agentId}</c> (one of each at a time).</param>
/// <param name="QueueId">The queue.</param>
/// <param name="Scope">What it applies to.</param>
/// <param name="AgentId">The agent, for <see cref="OverrideScope.Agent"/>; otherwise null.</param>
/// <param name="Mode">The mode held, for agent and queue overrides; null for a freeze.</param>
/// <param name="Until">When it lapses by itself; null means until a supervisor clears it.</param>
/// <param name="Reason">Why, in the supervisor's words.</param>
/// <param name="SetBy">Who set it.</param>
/// <param name="SetAt">When it was set.</param>
public sealed record ModeOverride(
    string Id,
    string QueueId,
    OverrideScope Scope,
    string? AgentId,
    AgentMode? Mode,
    DateTimeOffset? Until,
    string Reason,
    string SetBy,
    DateTimeOffset SetAt)
{
    /// <summary>The id an override of <paramref name="scope"/> (for <paramref name="agentId"/>) has within its queue.</summary>
    public static string IdFor(OverrideScope scope, string? agentId) => scope switch
    {
        OverrideScope.Agent => "agent:" + agentId,
        OverrideScope.Queue => "queue",
        _ => "freeze",
    };

    /// <summary>True while the override is in force at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => Until is null || Until > now;
}
