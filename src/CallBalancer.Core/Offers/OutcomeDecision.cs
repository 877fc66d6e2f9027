using CallBalancer.Core.Kpi;

namespace CallBalancer.Core.Offers;

/// <summary>The result of <see cref="OutcomeRecorder.Decide"/>.</summary>
/// <param name="Kind">Recorded, already recorded or rejected.</param>
/// <param name="History">The customer's history after the decision (unchanged unless recorded).</param>
/// <param name="Entry">
/// The ledger entry this answer posts. Also given for <see cref="OutcomeDecisionKind.AlreadyRecorded"/>, so a retry can
/// complete a ledger write that failed after the history was saved (the entry id makes the append idempotent).
/// </param>
/// <param name="Rejection">For a rejection: <c>contact-limit</c>, <c>conflict</c> or <c>not-accepted</c>.</param>
/// <param name="Detail">A plain-language explanation.</param>
public sealed record OutcomeDecision(OutcomeDecisionKind Kind, ContactHistory History, LedgerEntry? Entry, string? Rejection, string Detail)
{
    /// <summary>
    /// For a reversal: the ledger entry of the acceptance it reverses, to append (idempotently) before
    /// <see cref="Entry"/>. The acceptance's own append can have failed after its history was saved, and with no retry
    /// of it the reversal alone would count -1 acceptance and negative credit.
    /// </summary>
    public LedgerEntry? Reverses { get; init; }
}
