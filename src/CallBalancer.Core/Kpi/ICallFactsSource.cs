namespace CallBalancer.Core.Kpi;

/// <summary>Where KPI reports get calls handled and handle time from (the telephony call events).</summary>
public interface ICallFactsSource
{
    /// <summary>
    /// The agent's handled calls whose end falls in <c>[from, to)</c>, in every queue; null when the source cannot say
    /// which agent handled a call (the report then says so instead of showing zero).
    /// </summary>
    Task<AgentCallFacts?> GetAgentCallFactsAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The queue's handled calls that ended in <c>[from, to)</c>, whoever handled them; null when not available.</summary>
    Task<AgentCallFacts?> GetQueueCallFactsAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// The queue's handled calls that ended in <c>[from, to)</c> per agent credited (agents without any are absent); the
    /// queue's calls that name no agent are the difference from <see cref="GetQueueCallFactsAsync"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, AgentCallFacts>> GetQueueAgentCallFactsAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
