using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>
/// KPI reports summed from the ledger and the call facts alone: per agent (every queue), and per queue (the offers made
/// in that queue and the calls it handled, in total and for each agent who made an offer or handled a call there in the
/// period, or belongs to the queue now). A queue report takes the whole days of its period that have a current roll-up
/// (<see cref="KpiRollupStore"/>) from the roll-up and reads the entries of the rest, so it equals the sum of the entries.
/// </summary>
public sealed class KpiService(KpiLedgerStore ledger, KpiRollupStore rollups, AgentModeStore modes, ICallFactsSource callFacts, TimeProvider time)
{
    // Range queries for the parts of a period that no roll-up covers, run at once.
    private const int RangeReads = 8;

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
        var ledgerTask = QueueTotalsAsync(queueId, from, to, cancellationToken);
        var factsTask = callFacts.GetQueueCallFactsAsync(queueId, from, to, cancellationToken);
        var agentFactsTask = callFacts.GetQueueAgentCallFactsAsync(queueId, from, to, cancellationToken);
        var current = await modes.GetQueueModesAsync(queueId, cancellationToken);
        var (total, byAgent) = await ledgerTask;
        var facts = await factsTask;
        var agentFacts = await agentFactsTask;
        var agents = current.Select(m => m.State.AgentId)
            .Concat(byAgent.Keys)
            .Concat(agentFacts.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (agents.Count == 0 && total.LedgerEntries == 0 && facts is not { CallsHandled: > 0 })
        {
            return null;
        }

        var reports = agents
            .Select(a => (a, KpiCalculator.Report(byAgent.GetValueOrDefault(a), from, to, agentFacts.GetValueOrDefault(a) ?? AgentCallFacts.None)))
            .ToList();
        var credited = reports.Sum(r => r.Item2.CallFacts!.CallsHandled);
        var creditedSeconds = reports.Sum(r => r.Item2.CallFacts!.TotalHandleSeconds);
        return new QueueKpiReport(KpiCalculator.Report(total, from, to, facts), reports, facts is null ? null : facts.CallsHandled - credited)
        {
            SecondsWithoutAgent = facts is null ? 0 : Math.Max(0, facts.TotalHandleSeconds - creditedSeconds),
        };
    }

    /// <summary>The queue's ledger totals for <c>[from, to)</c>, in all and per agent: current day roll-ups plus the entries of the rest.</summary>
    private async Task<(KpiTotals Total, Dictionary<string, KpiTotals> ByAgent)> QueueTotalsAsync(
        string queueId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var days = KpiRollupRules.RollableDays(from, to, time.GetUtcNow());
        var rolled = days.Count == 0
            ? new Dictionary<DateOnly, KpiDayRollup>()
            : await rollups.GetCurrentAsync(queueId, days[0], days[^1], cancellationToken);
        var ranges = KpiRollupRules.Uncovered(from, to, rolled.Keys);
        var read = new IReadOnlyList<LedgerEntry>[ranges.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ranges.Count), new ParallelOptions { MaxDegreeOfParallelism = RangeReads, CancellationToken = cancellationToken },
            async (i, ct) => read[i] = await ledger.GetQueueAsync(queueId, ranges[i].From, ranges[i].To, ct));

        var byAgent = new Dictionary<string, KpiTotals>(StringComparer.Ordinal);
        foreach (var (agentId, totals) in rolled.Values.SelectMany(r => r.ByAgent))
        {
            byAgent[agentId] = byAgent.GetValueOrDefault(agentId) + totals;
        }

        KpiTotals.AddByAgent(byAgent, read.SelectMany(r => r));
        return (KpiTotals.Sum(byAgent.Values), byAgent);
    }
}
