using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// Call facts from what the telephony webhooks store. Per queue: the interval counts (<see cref="IntervalStore"/>),
/// calls ended and their handle time, summed over the intervals that start in the period (so a period is counted in
/// whole intervals). Per agent: not available, because the stored call records and counts do not keep which agent
/// handled a call; the report says so rather than showing zero.
/// </summary>
public sealed class StoredCallFacts(IntervalStore intervals) : ICallFactsSource
{
    /// <inheritdoc />
    public Task<AgentCallFacts?> GetAgentCallFactsAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<AgentCallFacts?>(null);

    /// <inheritdoc />
    public async Task<AgentCallFacts?> GetQueueCallFactsAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        int calls = 0;
        double seconds = 0;
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day <= DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            foreach (var interval in await intervals.GetDayAsync(queueId, day, cancellationToken))
            {
                if (interval.IntervalStart >= from && interval.IntervalStart < to)
                {
                    calls += (int)interval.Counts.HandledCalls;
                    seconds += interval.Counts.HandleTimeSeconds;
                }
            }
        }

        return new AgentCallFacts(calls, seconds);
    }
}
