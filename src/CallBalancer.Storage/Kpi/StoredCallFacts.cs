using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// Call facts from what the telephony webhooks store (<see cref="IntervalStore"/>): calls that ended with a known handle
/// time and that handle time, summed over the intervals that start in the period (so a period is counted in whole
/// intervals). Per queue from the queue's interval counts; per agent from the agent rows written with them, in the
/// queues the agent's months list (<see cref="AgentQueueMonthStore"/>): one query per queue and day of the period.
/// </summary>
public sealed class StoredCallFacts(IntervalStore intervals, AgentQueueMonthStore agentMonths) : ICallFactsSource
{
    // Queue-day reads run at once.
    private const int DayReads = 8;

    /// <inheritdoc />
    public async Task<AgentCallFacts?> GetAgentCallFactsAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (first, last) = Days(from, to);
        var queues = await agentMonths.GetQueuesAsync(agentId, first, last, cancellationToken);
        var queueDays = queues.SelectMany(q => Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(d => (Queue: q, Day: first.AddDays(d)))).ToList();
        var days = new IReadOnlyList<AgentInterval>[queueDays.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, queueDays.Count), new ParallelOptions { MaxDegreeOfParallelism = DayReads, CancellationToken = cancellationToken },
            async (i, ct) => days[i] = await intervals.GetAgentDayAsync(queueDays[i].Queue, agentId, queueDays[i].Day, ct));
        return Sum(days.SelectMany(d => d), from, to);
    }

    /// <inheritdoc />
    public async Task<AgentCallFacts?> GetQueueCallFactsAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (first, last) = Days(from, to);
        int calls = 0;
        double seconds = 0;
        foreach (var interval in await intervals.GetDaysAsync(queueId, first, last, cancellationToken))
        {
            if (interval.IntervalStart >= from && interval.IntervalStart < to)
            {
                calls += (int)interval.Counts.HandledCalls;
                seconds += interval.Counts.HandleTimeSeconds;
            }
        }

        return new AgentCallFacts(calls, seconds);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, AgentCallFacts>> GetQueueAgentCallFactsAsync(
        string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var byAgent = new Dictionary<string, List<AgentInterval>>(StringComparer.Ordinal);
        foreach (var day in await EachDayAsync(from, to, (d, ct) => intervals.GetAgentsOfDayAsync(queueId, d, ct), cancellationToken))
        {
            foreach (var (agentId, rows) in day)
            {
                if (!byAgent.TryGetValue(agentId, out var list))
                {
                    byAgent[agentId] = list = [];
                }

                list.AddRange(rows);
            }
        }

        return byAgent
            .Select(p => (p.Key, Facts: Sum(p.Value, from, to)))
            .Where(p => p.Facts.CallsHandled > 0)
            .ToDictionary(p => p.Key, p => p.Facts, StringComparer.Ordinal);
    }

    /// <summary>One read per UTC day of the period, up to <see cref="DayReads"/> at once, in day order.</summary>
    private static async Task<T[]> EachDayAsync<T>(DateTimeOffset from, DateTimeOffset to, Func<DateOnly, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var (first, last) = Days(from, to);
        var results = new T[last.DayNumber - first.DayNumber + 1];
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length), new ParallelOptions { MaxDegreeOfParallelism = DayReads, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await read(first.AddDays(i), ct));
        return results;
    }

    private static (DateOnly First, DateOnly Last) Days(DateTimeOffset from, DateTimeOffset to) =>
        (DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(to.UtcDateTime));

    private static AgentCallFacts Sum(IEnumerable<AgentInterval> rows, DateTimeOffset from, DateTimeOffset to)
    {
        long calls = 0;
        double seconds = 0;
        foreach (var r in rows.Where(r => r.IntervalStart >= from && r.IntervalStart < to))
        {
            calls += r.HandledCalls;
            seconds += r.HandleTimeSeconds;
        }

        return new AgentCallFacts((int)calls, seconds);
    }
}
