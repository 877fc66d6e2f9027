namespace CallBalancer.Core.Kpi;

/// <summary>Sums ledger entries into a report. The report is nothing but these sums, so it can always be recomputed.</summary>
public static class KpiCalculator
{
    /// <summary>The totals of the entries that occurred in <c>[from, to)</c>.</summary>
    public static KpiReport Summarise(IEnumerable<LedgerEntry> entries, DateTimeOffset from, DateTimeOffset to, AgentCallFacts? callFacts)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int offers = 0, accepts = 0, count = 0;
        var credit = 0m;
        foreach (var e in entries.Where(e => e.OccurredAt >= from && e.OccurredAt < to))
        {
            offers += e.OffersMade;
            accepts += e.Acceptances;

            // decimal so that a reversal nets its acceptance to exactly zero whatever the summation order.
            credit += (decimal)e.Credit;
            count++;
        }

        return new KpiReport(from, to, offers, accepts, (double)credit, count, callFacts);
    }

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
