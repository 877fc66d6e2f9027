using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// The call-facts source until telephony call events are stored (the webhooks issue): storage holds no handled calls
/// yet, so every answer is "not available" and reports say so rather than show zeros.
/// </summary>
public sealed class CallFactsUnavailable : ICallFactsSource
{
    /// <inheritdoc />
    public Task<AgentCallFacts?> GetAgentCallFactsAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<AgentCallFacts?>(null);
}
