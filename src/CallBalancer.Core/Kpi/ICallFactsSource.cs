namespace CallBalancer.Core.Kpi;

/// <summary>Where the KPI report gets calls handled and handle time from (the telephony call events).</summary>
public interface ICallFactsSource
{
    /// <summary>
    /// The agent's handled calls whose end falls in <c>[from, to)</c>; null when call events are not available
    /// (the report then says so instead of showing zero).
    /// </summary>
    Task<AgentCallFacts?> GetAgentCallFactsAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
