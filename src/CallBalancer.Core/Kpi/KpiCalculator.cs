namespace CallBalancer.Core.Kpi;

/// <summary>Sums ledger entries into a report. The report is nothing but these sums, so it can always be recomputed.</summary>
public static class KpiCalculator
{
    /// <summary>The totals of the entries that occurred in <c>[from, to)</c>.</summary>
    public static KpiReport Summarise(IEnumerable<LedgerEntry> entries, DateTimeOffset from, DateTimeOffset to, AgentCallFacts? callFacts)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Report(KpiTotals.Of(entries.Where(e => e.OccurredAt >= from && e.OccurredAt < to)), from, to, callFacts);
    }

    /// <summary>The report of totals already summed for <c>[from, to)</c> (entries and day roll-ups of the period).</summary>
    public static KpiReport Report(KpiTotals totals, DateTimeOffset from, DateTimeOffset to, AgentCallFacts? callFacts) =>
        new(from, to, totals.OffersMade, totals.Acceptances, (double)totals.Credit + 0.0, totals.LedgerEntries, callFacts);

    /// <summary>Adds several agents' call facts; null if any agent's are unavailable.</summary>
    public static AgentCallFacts? Combine(IEnumerable<AgentCallFacts?> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        int calls = 0;
        double seconds = 0;
        foreach (var f in facts)
        {
            if (f is null)
            {
                return null;
            }

            calls += f.CallsHandled;
            seconds += f.TotalHandleSeconds;
        }

        return new AgentCallFacts(calls, seconds);
    }

    /// <summary>Adds several reports of the same period (a queue's agents).</summary>
    public static KpiReport Combine(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<KpiReport> reports, AgentCallFacts? callFacts)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return new KpiReport(from, to, reports.Sum(r => r.OffersMade), reports.Sum(r => r.Acceptances),
            (double)reports.Sum(r => (decimal)r.WeightedCredit), reports.Sum(r => r.LedgerEntries), callFacts);
    }
}
