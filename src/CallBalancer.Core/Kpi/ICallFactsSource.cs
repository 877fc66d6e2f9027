namespace CallBalancer.Core.Kpi;

/// <summary>Where KPI reports get calls handled and handle time from (the telephony call events).</summary>
public interface ICallFactsSource
{
    /// <summary>
    /// The agent's handled calls whose end falls in <c>[from, to)</c>; null when call events do not say which agent
    /// handled a call (the report then says so instead of showing zero).
    /// </summary>
    Task<AgentCallFacts?> GetAgentCallFactsAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The queue's handled calls that ended in <c>[from, to)</c>; null when not available.</summary>
    Task<AgentCallFacts?> GetQueueCallFactsAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
