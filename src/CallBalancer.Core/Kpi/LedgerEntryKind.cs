namespace CallBalancer.Core.Kpi;

/// <summary>What a KPI ledger entry records.</summary>
public enum LedgerEntryKind
{
    /// <summary>An offer with a recorded answer: one offer made, and for an acceptance one acceptance and its credit.</summary>
    Outcome,

    /// <summary>A compensating entry for a reversed acceptance: minus one acceptance, minus its credit.</summary>
    Reversal,
}
