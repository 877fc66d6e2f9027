namespace CallBalancer.Core.Kpi;

/// <summary>An agent's (or a queue's) cross-sell and service results for a period <c>[From, To)</c>.</summary>
/// <param name="From">Start of the period (inclusive).</param>
/// <param name="To">End of the period (exclusive).</param>
/// <param name="OffersMade">Offers with a recorded answer.</param>
/// <param name="Acceptances">Acceptances net of reversals.</param>
/// <param name="WeightedCredit">Sum of value x difficulty credits, net of reversals, in KPI points.</param>
/// <param name="LedgerEntries">How many ledger entries the totals were summed from.</param>
/// <param name="CallFacts">Calls handled and handle time; null when call events are not available.</param>
public sealed record KpiReport(
    DateTimeOffset From,
    DateTimeOffset To,
    int OffersMade,
    int Acceptances,
    double WeightedCredit,
    int LedgerEntries,
    AgentCallFacts? CallFacts)
{
    /// <summary>Acceptances per offer made (0..1); null when no offer was made.</summary>
    public double? Conversion => OffersMade > 0 ? (double)Acceptances / OffersMade : null;
}
