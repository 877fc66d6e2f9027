using CallBalancer.Core.Kpi;
using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>
/// Checks that every agent's KPI report (summed from the ledger) equals a tally made independently from the final
/// contact histories (each answer counted at its instant, each reversal at its own), for the month, each week and each day.
/// </summary>
internal static class KpiReconciliation
{
    /// <summary>What the check found.</summary>
    public sealed record Result(int Agents, int PeriodsPerAgent, int Checks, int Mismatches);

    public static Result Check(IEnumerable<LedgerEntry> ledger, IEnumerable<KeyValuePair<string, ContactHistory>> histories,
        IReadOnlyList<Product> catalogue, DateTimeOffset start, DateTimeOffset end)
    {
        var byProduct = catalogue.ToDictionary(p => p.ProductId, StringComparer.Ordinal);
        var tally = new List<(string Agent, DateTimeOffset At, int Offers, int Accepts, decimal Credit)>();
        foreach (var (_, h) in histories)
        {
            foreach (var r in h.Records)
            {
                var accepted = r.Outcome == OfferOutcome.Accepted;
                var credit = accepted ? (decimal)byProduct[r.ProductId].WeightsAt(r.OccurredAt).Credit : 0m;
                tally.Add((r.AgentId, r.OccurredAt, 1, accepted ? 1 : 0, credit));
                if (r.ReversedAt is { } rev)
                {
                    tally.Add((r.AgentId, rev, 0, -1, -credit));
                }
            }
        }

        var entries = ledger.GroupBy(e => e.AgentId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var periods = new List<(DateTimeOffset From, DateTimeOffset To)> { (start, end) };
        for (var d = start; d < end; d = d.AddDays(7))
        {
            periods.Add((d, d.AddDays(7)));
        }

        for (var d = start; d < end; d = d.AddDays(1))
        {
            periods.Add((d, d.AddDays(1)));
        }

        int checks = 0, mismatches = 0;
        foreach (var agent in tally.Select(t => t.Agent).Union(entries.Keys).Distinct(StringComparer.Ordinal))
        {
            var mine = entries.GetValueOrDefault(agent) ?? [];
            foreach (var (from, to) in periods)
            {
                var report = KpiCalculator.Summarise(mine, from, to, null);
                var expected = tally.Where(t => t.Agent == agent && t.At >= from && t.At < to).ToList();
                checks++;
                if (report.OffersMade != expected.Sum(t => t.Offers) || report.Acceptances != expected.Sum(t => t.Accepts)
                    || (decimal)report.WeightedCredit != expected.Sum(t => t.Credit))
                {
                    mismatches++;
                }
            }
        }

        return new Result(entries.Count, periods.Count, checks, mismatches);
    }
}
