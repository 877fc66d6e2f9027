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
                    "The reversal was already recorded.") { Reverses = OutcomeEntry(existing, command) };
            }

            var at = command.OccurredAt < existing.OccurredAt ? existing.OccurredAt : command.OccurredAt;
            var reversed = existing with { ReversedAt = at };
            var records = history.Records.Select(r => ReferenceEquals(r, existing) ? reversed : r).ToList();
            return new(OutcomeDecisionKind.Recorded, history with { Records = records }, ReversalEntry(reversed, command, at), null,
                "The acceptance was reversed; a compensating ledger entry takes its credit back.") { Reverses = OutcomeEntry(existing, command) };
        }

        if (existing is not null)
        {
            return existing.Outcome == command.Outcome
                ? new(OutcomeDecisionKind.AlreadyRecorded, history, OutcomeEntry(existing, command), null, "This answer was already recorded.")
                : Reject(history, "conflict",
                    $"Offer '{command.OfferId}' already has the answer '{existing.Outcome.ToName()}'; only an acceptance can be changed, by 'reversed'.");
        }

        if (OverMarketing(history, command, policy) is { } refusal)
        {
            return Reject(history, refusal.Code, refusal.Detail);
        }

        var credit = command.Outcome == OfferOutcome.Accepted ? command.Product.WeightsAt(command.OccurredAt).Credit : 0;
        var record = new ContactRecord(command.OfferId, command.Product.ProductId, command.AgentId, command.Outcome, command.OccurredAt, credit);
        // A late opt-out stamped before the recorded one moves it earlier (OverMarketing refused one stamped after it).
        var optedOut = command.Outcome == OfferOutcome.DoNotOfferAgain ? command.OccurredAt : history.OptedOutAt;
        var next = new ContactHistory([.. history.Records, record], optedOut);
        return new(OutcomeDecisionKind.Recorded, next, OutcomeEntry(record, command), null, "The answer was recorded.");
    }

    /// <summary>
    /// Why a new answer cannot be recorded, or null. The rules the recommender applies when it shows offers, judged again
    /// here under the history's ETag, because two recommendations can be open at once (overlapping calls, a desktop that
    /// asks twice) and each was shown before the other's answer: the contact limit, an opt-out, a product already
    /// accepted (which would also credit the sale twice), a product in its cool-down. And an answer stamped before its
    /// offer was shown. An opt-out itself is refused only after an earlier opt-out: losing it would let a customer who
    /// asked never to be contacted again be offered more, so it is recorded even past the contact limit.
    /// </summary>
    private static (string Code, string Detail)? OverMarketing(ContactHistory history, OutcomeCommand command, ContactPolicy policy)
    {
        var at = command.OccurredAt;
        if (command.ShownAt is { } shown && at < shown - ClockSkew)
        {
            return ("before-offer", $"The answer is stamped {at:O}, before offer '{command.OfferId}' was shown at {shown:O}.");
        }

        if (history.OptedOutAt is { } optedOut && at >= optedOut)
        {
            return ("opted-out", $"The customer asked at {optedOut:O} never to be offered anything again.");
        }

        if (command.Outcome == OfferOutcome.DoNotOfferAgain)
        {
            return null;
        }

        // The customer-wide rule before the product's: the desktop learns to stop offering this customer anything.
        if (!policy.CanRecordAt(history.Records.Select(r => r.OccurredAt), at))
        {
            return ("contact-limit", $"The customer already has {policy.MaxOffers} offers with a recorded answer within {policy.WindowDays} days of {at:O}.");
        }

        var productId = command.Product.ProductId;
        var held = history.Records.FirstOrDefault(r => r.Outcome == OfferOutcome.Accepted && r.ReversedAt is null
            && string.Equals(r.ProductId, productId, StringComparison.Ordinal)
            && (command.Outcome == OfferOutcome.Accepted || r.OccurredAt <= at));
        if (held is not null)
        {
            return ("product-held", $"The customer accepted '{productId}' at {held.OccurredAt:O} (offer '{held.OfferId}') and holds it.");
        }

        foreach (var r in history.Records.Where(r => string.Equals(r.ProductId, productId, StringComparison.Ordinal)))
        {
            DateTimeOffset? rest = r.Outcome is OfferOutcome.Declined or OfferOutcome.NotInterested ? r.OccurredAt : r.ReversedAt;
            if (rest is { } from && from <= at && at < from.AddDays(command.Product.CoolDownDays))
            {
                return ("cool-down", $"'{productId}' is in its {command.Product.CoolDownDays}-day cool-down after the answer to offer '{r.OfferId}' at {from:O}.");
            }
        }

        return null;
    }

    /// <summary>How far before its offer's showing an answer may be stamped: a desktop's clock may run behind the server's.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

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
