using CallBalancer.Core.Kpi;

namespace CallBalancer.Core.Offers;

/// <summary>
/// Decides what an answer does to a customer's contact history and the KPI ledger. Pure: storage reads the history
/// with its ETag, calls this, and writes the new history conditionally on that ETag (re-deciding on a conflict).
/// </summary>
public static class OutcomeRecorder
{
    /// <summary>Decides the effect of <paramref name="command"/> on <paramref name="history"/> under <paramref name="policy"/>.</summary>
    public static OutcomeDecision Decide(ContactHistory history, OutcomeCommand command, ContactPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(policy);
        var existing = history.Find(command.OfferId);

        if (command.Outcome == OfferOutcome.Reversed)
        {
            if (existing is null || existing.Outcome != OfferOutcome.Accepted)
            {
                return Reject(history, "not-accepted", $"Offer '{command.OfferId}' has no recorded acceptance to reverse.");
            }

            if (existing.ReversedAt is not null)
            {
                return new(OutcomeDecisionKind.AlreadyRecorded, history, ReversalEntry(existing, command, existing.ReversedAt.Value), null,
                    "The reversal was already recorded.");
            }

            var at = command.OccurredAt < existing.OccurredAt ? existing.OccurredAt : command.OccurredAt;
            var reversed = existing with { ReversedAt = at };
            var records = history.Records.Select(r => ReferenceEquals(r, existing) ? reversed : r).ToList();
            return new(OutcomeDecisionKind.Recorded, history with { Records = records }, ReversalEntry(reversed, command, at), null,
                "The acceptance was reversed; a compensating ledger entry takes its credit back.");
        }

        if (existing is not null)
        {
            return existing.Outcome == command.Outcome
                ? new(OutcomeDecisionKind.AlreadyRecorded, history, OutcomeEntry(existing, command), null, "This answer was already recorded.")
                : Reject(history, "conflict",
                    $"Offer '{command.OfferId}' already has the answer '{existing.Outcome.ToName()}'; only an acceptance can be changed, by 'reversed'.");
        }

        if (!policy.CanRecordAt(history.Records.Select(r => r.OccurredAt), command.OccurredAt))
        {
            return Reject(history, "contact-limit",
                $"The customer already has {policy.MaxOffers} offers with a recorded answer within {policy.WindowDays} days of {command.OccurredAt:O}.");
        }

        var credit = command.Outcome == OfferOutcome.Accepted ? command.Product.WeightsAt(command.OccurredAt).Credit : 0;
        var record = new ContactRecord(command.OfferId, command.Product.ProductId, command.AgentId, command.Outcome, command.OccurredAt, credit);
        var optedOut = command.Outcome == OfferOutcome.DoNotOfferAgain && history.OptedOutAt is null ? command.OccurredAt : history.OptedOutAt;
        var next = new ContactHistory([.. history.Records, record], optedOut);
        return new(OutcomeDecisionKind.Recorded, next, OutcomeEntry(record, command), null, "The answer was recorded.");
    }

    /// <summary>The ledger entry of a recorded answer (the customer and queue from the command that answers its offer).</summary>
    public static LedgerEntry OutcomeEntry(ContactRecord record, OutcomeCommand command)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(command);
        return new(record.OfferId + ":outcome", record.AgentId, command.CustomerId, record.OfferId, record.ProductId, LedgerEntryKind.Outcome,
            1, record.Outcome == OfferOutcome.Accepted ? 1 : 0, record.Credit, record.OccurredAt) { QueueId = command.QueueId };
    }

    private static LedgerEntry ReversalEntry(ContactRecord record, OutcomeCommand command, DateTimeOffset at) =>
        new(record.OfferId + ":reversal", record.AgentId, command.CustomerId, record.OfferId, record.ProductId, LedgerEntryKind.Reversal,
            0, -1, -record.Credit, at) { QueueId = command.QueueId };

    private static OutcomeDecision Reject(ContactHistory history, string code, string detail) =>
        new(OutcomeDecisionKind.Rejected, history, null, code, detail);
}
