namespace CallBalancer.Core.Kpi;

/// <summary>
/// One append-only line of the KPI ledger. Entries are never changed or deleted: a reversal posts a compensating
/// entry, so any period's totals are the sum of the entries that occurred in it.
/// </summary>
/// <param name="EntryId">Deterministic id (<c>{offerId}:outcome</c> or <c>{offerId}:reversal</c>), so a retried write is recognised.</param>
/// <param name="AgentId">The agent credited.</param>
/// <param name="CustomerId">The pseudonymous customer.</param>
/// <param name="OfferId">The offer answered.</param>
/// <param name="ProductId">The product offered.</param>
/// <param name="Kind">Outcome or reversal.</param>
/// <param name="OffersMade">Offers counted by this entry (1 for an outcome, 0 for a reversal).</param>
/// <param name="Acceptances">Acceptances counted (+1 for an accepted outcome, -1 for a reversal, else 0).</param>
/// <param name="Credit">Weighted credit in KPI points (value x difficulty weight; negative for a reversal).</param>
/// <param name="OccurredAt">When the answer (or the reversal) happened: the instant that places the entry in a period.</param>
public sealed record LedgerEntry(
    string EntryId,
    string AgentId,
    string CustomerId,
    string OfferId,
    string ProductId,
    LedgerEntryKind Kind,
    int OffersMade,
    int Acceptances,
    double Credit,
    DateTimeOffset OccurredAt)
{
    /// <summary>
    /// The queue the agent served when the offer was shown (from the agent's mode record then), or null when not known:
    /// the queue report sums the entries of its queue, so an agent who moves queues is credited where the offer was made.
    /// </summary>
    public string? QueueId { get; init; }
}
