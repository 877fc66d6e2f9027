using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// KPI reports summed from the ledger and the call facts alone: per agent (every queue), and per queue (the offers made
/// in that queue and the calls it handled, in total and for each agent who made an offer or handled a call there in the
/// period, or belongs to the queue now).
/// </summary>
public sealed class KpiService(KpiLedgerStore ledger, AgentModeStore modes, ICallFactsSource callFacts)
{
    /// <summary>One agent's report for <c>[from, to)</c>.</summary>
    public async Task<KpiReport> AgentReportAsync(string agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var entries = ledger.GetAsync(agentId, from, to, cancellationToken);
        var facts = callFacts.GetAgentCallFactsAsync(agentId, from, to, cancellationToken);
        return KpiCalculator.Summarise(await entries, from, to, await facts);
    }

    /// <summary>
    /// A queue's report for <c>[from, to)</c> and its agents', or null for a queue that has no agent now and nothing
    /// recorded in the period (most likely a mistyped queue id).
    /// </summary>
    public async Task<QueueKpiReport?> QueueReportAsync(string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var entriesTask = ledger.GetQueueAsync(queueId, from, to, cancellationToken);
        var factsTask = callFacts.GetQueueCallFactsAsync(queueId, from, to, cancellationToken);
        var agentFactsTask = callFacts.GetQueueAgentCallFactsAsync(queueId, from, to, cancellationToken);
        var current = await modes.GetQueueModesAsync(queueId, cancellationToken);
        var entries = await entriesTask;
        var facts = await factsTask;
        var agentFacts = await agentFactsTask;
        var agents = current.Select(m => m.State.AgentId)
            .Concat(entries.Select(e => e.AgentId))
            .Concat(agentFacts.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (agents.Count == 0 && entries.Count == 0 && facts is not { CallsHandled: > 0 })
        {
            return null;
        }

        var byAgent = entries.ToLookup(e => e.AgentId, StringComparer.Ordinal);
        var reports = agents
            .Select(a => (a, KpiCalculator.Summarise(byAgent[a], from, to, agentFacts.GetValueOrDefault(a) ?? AgentCallFacts.None)))
            .ToList();
        var total = KpiCalculator.Summarise(entries, from, to, facts);
        var credited = reports.Sum(r => r.Item2.CallFacts!.CallsHandled);
        return new QueueKpiReport(total, reports, facts is null ? null : facts.CallsHandled - credited);
    }
}
