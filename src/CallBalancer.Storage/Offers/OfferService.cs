using CallBalancer.Core.Offers;
using CallBalancer.Storage.Kpi;

namespace CallBalancer.Storage.Offers;

/// <summary>
/// The offers unit of work: read what the core needs, let it decide, persist. Recommending reads the catalogue (cached),
/// the profile, the contact history and one propensity cell, and saves the offers shown in one write. Recording
/// an answer re-reads and re-decides on every ETag conflict, then appends the ledger entry and counts the answer.
/// </summary>
public sealed class OfferService(
    CatalogueCache catalogue,
    CustomerProfileStore profiles,
    ContactHistoryStore histories,
    PropensityStore propensity,
    KpiLedgerStore ledger,
    OfferRecommender recommender,
    TimeProvider time)
{
    /// <summary>How many times an answer is re-decided after losing an ETag race before giving up (<see cref="OutcomeStatus.Contended"/>).</summary>
    public const int MaxAttempts = 20;

    /// <summary>How long a propensity cell read is reused by this instance.</summary>
    public static readonly TimeSpan PropensityCacheLifetime = TimeSpan.FromSeconds(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (IReadOnlyDictionary<string, PropensityCounts> Cell, DateTimeOffset Expires)> _cells =
        new(StringComparer.Ordinal);

    /// <summary>Recommends offers for a caller and saves the offers shown (each with a new offer id).</summary>
    public async Task<(Recommendation Recommendation, IReadOnlyList<StoredOffer> Offers)> RecommendAsync(
        string agentId, string customerId, CallReason reason, CancellationToken cancellationToken = default) =>
        await RecommendAsync(agentId, null, await ReadContextAsync(customerId, reason, cancellationToken), cancellationToken);

    /// <summary>
    /// Reads what a recommendation needs: profile and history at once, then the propensity cell of the profile's segment
    /// (from a short-lived cache: counts move slowly, and a few seconds' lag changes no ranking materially).
    /// </summary>
    public async Task<OfferContext> ReadContextAsync(string customerId, CallReason reason, CancellationToken cancellationToken = default)
    {
        if (ReasonRules.NoOfferReason(reason) is not null)
        {
            // Nothing to read: no offer is ever made on such a call.
            return new OfferContext(customerId, reason, CustomerProfile.Generic(customerId), ContactHistory.Empty,
                new Dictionary<string, PropensityCounts>(), []);
        }

        var catalogueTask = catalogue.GetAsync(cancellationToken);
        var historyTask = histories.GetHistoryAsync(customerId, cancellationToken);
        var profile = await profiles.GetAsync(customerId, cancellationToken) ?? CustomerProfile.Generic(customerId);
        var cell = await GetCellAsync(reason, CustomerSegment.Of(profile), cancellationToken);
        var (history, _) = await historyTask;
        return new OfferContext(customerId, reason, profile, history, cell, await catalogueTask);
    }

    /// <summary>
    /// Decides on a read context and saves the offers shown (each with a new offer id) in one write, with the queue
    /// the agent serves (<paramref name="queueId"/>, from its mode record) so their answers are credited to that queue.
    /// </summary>
    public async Task<(Recommendation Recommendation, IReadOnlyList<StoredOffer> Offers)> RecommendAsync(
        string agentId, string? queueId, OfferContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var recommendation = recommender.Recommend(context.Profile, context.History, context.Reason, context.Catalogue, context.Observed, now);
        var recommendationId = Guid.NewGuid().ToString("N");
        var offers = recommendation.Offers
            .Select((o, i) => new StoredOffer(ContactHistoryStore.OfferId(recommendationId, i), context.CustomerId, agentId, o.ProductId, context.Reason,
                recommendation.Segment, o.Score, now)
            {
                QueueId = queueId,
            })
            .ToList();
        await histories.SaveOffersAsync(offers, cancellationToken);
        return (recommendation, offers);
    }

    private async Task<IReadOnlyDictionary<string, PropensityCounts>> GetCellAsync(CallReason reason, string segment, CancellationToken cancellationToken)
    {
        var key = reason.ToCode() + "|" + segment;
        var now = time.GetUtcNow();
        if (_cells.TryGetValue(key, out var cached) && now < cached.Expires)
        {
            return cached.Cell;
        }

        var cell = await propensity.GetCellAsync(reason, segment, cancellationToken);
        _cells[key] = (cell, now + PropensityCacheLifetime);
        return cell;
    }

    /// <summary>Records a customer's answer to an offer. Idempotent: the same answer again changes nothing.</summary>
    public async Task<OutcomeResult> RecordOutcomeAsync(
        string offerId, string agentId, string customerId, OfferOutcome outcome, DateTimeOffset occurredAt, CancellationToken cancellationToken = default)
    {
        // The offer and the history the first attempt decides on, read at once (one round trip, not two). When this
        // instance remembers the customer's history (it showed the offers), the first attempt writes conditionally on
        // the remembered ETag instead of reading: if the history changed meanwhile the write fails and is re-decided.
        var offerTask = histories.GetOfferAsync(customerId, offerId, cancellationToken);
        var fromMemory = histories.TryGetRemembered(customerId, out var remembered);
        var historyTask = fromMemory ? Task.FromResult(remembered) : histories.GetHistoryAsync(customerId, cancellationToken);
        await Task.WhenAll(offerTask, historyTask);
        var offer = offerTask.Result;
        if (offer is null)
        {
            return new(OutcomeStatus.OfferNotFound, null, null);
        }

        if (!string.Equals(offer.AgentId, agentId, StringComparison.Ordinal))
        {
            return new(OutcomeStatus.AgentMismatch, offer, null);
        }

        var product = await ProductAsync(offer.ProductId, cancellationToken);
        if (product is null)
        {
            return new(OutcomeStatus.ProductNotFound, offer, null);
        }

        var command = new OutcomeCommand(offerId, product, agentId, customerId, outcome, occurredAt)
        {
            QueueId = offer.QueueId,
            ShownAt = offer.MadeAt == DateTimeOffset.MinValue ? null : offer.MadeAt,
        };

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (history, etag) = attempt == 0 ? historyTask.Result : await histories.GetHistoryAsync(customerId, cancellationToken);
            var decision = OutcomeRecorder.Decide(history, command, recommender.Policy);
            if (attempt == 0 && fromMemory && decision.Kind != OutcomeDecisionKind.Recorded)
            {
                continue; // A remembered history can be out of date: an answer that writes nothing is decided on a fresh read.
            }

            switch (decision.Kind)
            {
                case OutcomeDecisionKind.Rejected:
                    return new(OutcomeStatus.Rejected, offer, decision);
                case OutcomeDecisionKind.AlreadyRecorded:
                    // A retry: make sure the ledger has the entry (the first attempt may have failed after saving the history).
                    await AppendAsync(decision, cancellationToken);
                    return new(OutcomeStatus.AlreadyRecorded, offer, decision);
            }

            if (!await histories.TrySaveHistoryAsync(customerId, decision.History, etag, cancellationToken))
            {
                continue; // Another answer for this customer won the race: re-read and re-decide.
            }

            // Both follow the saved history and are independent of each other: written together.
            await Task.WhenAll(
                AppendAsync(decision, cancellationToken),
                propensity.AddAsync(offer.Reason, offer.Segment, offer.ProductId, outcome, cancellationToken));
            return new(OutcomeStatus.Recorded, offer, decision);
        }

        return new(OutcomeStatus.Contended, offer, null);
    }

    /// <summary>The decision's ledger entry; for a reversal, the acceptance it reverses first (idempotent when already there).</summary>
    private async Task AppendAsync(OutcomeDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Reverses is { } accepted)
        {
            await ledger.AppendAsync(accepted, cancellationToken);
        }

        await ledger.AppendAsync(decision.Entry!, cancellationToken);
    }

    /// <summary>
    /// The product of an answered offer. A product created a moment ago on another instance may be offered by one that
    /// has read the catalogue since and answered on this one, whose cached catalogue is older: re-read once before
    /// giving up.
    /// </summary>
    private async Task<Product?> ProductAsync(string productId, CancellationToken cancellationToken)
    {
        var product = (await catalogue.GetAsync(cancellationToken)).FirstOrDefault(p => p.ProductId == productId);
        if (product is not null)
        {
            return product;
        }

        catalogue.Invalidate();
        return (await catalogue.GetAsync(cancellationToken)).FirstOrDefault(p => p.ProductId == productId);
    }
}
