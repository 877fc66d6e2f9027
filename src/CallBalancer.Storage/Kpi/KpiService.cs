using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>KPI reports summed from the ledger (and the call facts): per agent, and per queue over the queue's agents.</summary>
public sealed class KpiService(KpiLedgerStore ledger, AgentModeStore modes, ICallFactsSource callFacts)
{
    /// <summary>One agent's report for <c>[from, to)</c>.</summary>
    public async Task<KpiReport> AgentReportAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var entries = await ledger.GetAsync(agentId, from, to, cancellationToken);
        var facts = await callFacts.GetAgentCallFactsAsync(agentId, from, to, cancellationToken);
        return KpiCalculator.Summarise(entries, from, to, facts);
    }

    /// <summary>
    /// A queue's report: the sum of the reports of the agents the queue has now (from the agent-mode records), or null
    /// for a queue with no agent recorded.
    /// </summary>
    public async Task<(KpiReport Report, IReadOnlyList<(string AgentId, KpiReport Report)> Agents)?> QueueReportAsync(
        string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var agents = (await modes.GetQueueModesAsync(queueId, cancellationToken)).Select(m => m.State.AgentId).Order(StringComparer.Ordinal).ToList();
        if (agents.Count == 0)
        {
            return null;
        }

        var reports = new (string, KpiReport)[agents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, agents.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => reports[i] = (agents[i], await AgentReportAsync(agents[i], from, to, ct)));
        var queueFacts = await callFacts.GetQueueCallFactsAsync(queueId, from, to, cancellationToken);
        var total = KpiCalculator.Combine(from, to, reports.Select(r => r.Item2).ToList(), queueFacts);
        return (total, reports);
    }
}
