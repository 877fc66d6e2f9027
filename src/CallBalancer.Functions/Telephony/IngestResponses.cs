using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Telephony;

/// <summary>Runs ingestion for a webhook and turns the outcome, or an unreachable store, into the answer.</summary>
internal static class IngestResponses
{
    /// <summary>The title of the 503 answered when a row kept changing under the request (storage is up).</summary>
    private const string ContendedTitle = "Contended.";

    /// <summary>Ingests; null result means storage was unavailable and <paramref name="problem"/> is the 503 to answer.</summary>
    public static async Task<(IReadOnlyList<IngestOutcome>? Outcomes, IActionResult? Problem)> IngestAsync(
        TelephonyIngestor ingestor, IReadOnlyList<TelephonyEvent> events, string source, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var outcomes = await ingestor.IngestAsync(events, cancellationToken);
            var accepted = outcomes.Count(o => o.Status == IngestStatus.Accepted);
            CallBalancerTelemetry.RecordTelephonyEvents(source, accepted, outcomes.Count - accepted);
            logger.LogInformation("Ingested {Count} {Source} events: {Accepted} accepted, {Duplicates} duplicate",
                outcomes.Count, source, accepted, outcomes.Count - accepted);
            return (outcomes, null);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            // 503 makes the platform retry; what was written so far is idempotent state, and the counts are either
            // recorded with their dedupe rows or not at all, so the retry counts each event once.
            logger.LogWarning(ex, "Storage unavailable; {Count} {Source} events not recorded", events.Count, source);
            return (null, Problems.StorageUnavailable());
        }
        catch (Azure.RequestFailedException ex) when (ex.Status is 409 or 412 && !cancellationToken.IsCancellationRequested)
        {
            // A row that kept changing under this request (an agent's state, a queue's snapshot), beyond the retries:
            // not a server error. The retry is safe for the same reason as above.
            logger.LogWarning(ex, "Contended state; {Count} {Source} events not all recorded", events.Count, source);
            return (null, Problems.Create(StatusCodes.Status503ServiceUnavailable, ContendedTitle,
                "Another request kept changing the same agent's or queue's state; retry: events already recorded are recognised by their ids."));
        }
    }

    /// <summary>
    /// Answers a webhook request and records its outcome on the <c>callbalancer.http.requests</c> metric under
    /// <paramref name="endpoint"/>: <c>accepted</c> (2xx), <c>unavailable</c> (503, storage down), <c>contended</c> (503,
    /// a row kept changing under the request: storage is up, so the storage-unavailable alert must not fire) or
    /// <c>rejected</c> (any other status: bad body, failed signature, invalid event).
    /// </summary>
    public static async Task<IActionResult> ObserveAsync(string endpoint, Task<IActionResult> handling)
    {
        ArgumentNullException.ThrowIfNull(handling);
        var result = await handling;
        var status = result switch
        {
            IStatusCodeActionResult { StatusCode: { } code } => code,
            _ => StatusCodes.Status200OK,
        };
        CallBalancerTelemetry.RecordRequest(endpoint, status switch
        {
            >= 200 and < 300 => "accepted",
            StatusCodes.Status503ServiceUnavailable when result is ObjectResult { Value: ProblemDetails { Title: ContendedTitle } } =>
                CallBalancerTelemetry.ContendedOutcome,
            StatusCodes.Status503ServiceUnavailable => CallBalancerTelemetry.UnavailableOutcome,
            _ => "rejected",
        });
        return result;
    }

    /// <summary>The per-item answer: <c>{eventId, status}</c> with status <c>accepted</c> or <c>duplicate</c>.</summary>
    public static object Item(IngestOutcome o) => new { eventId = o.EventId, status = o.Status == IngestStatus.Accepted ? "accepted" : "duplicate" };

    /// <summary>The batch answer: counts and one item per event, in request order.</summary>
    public static object Batch(IReadOnlyList<IngestOutcome> outcomes) => new
    {
        accepted = outcomes.Count(o => o.Status == IngestStatus.Accepted),
        duplicates = outcomes.Count(o => o.Status == IngestStatus.Duplicate),
        results = outcomes.Select(Item).ToList(),
    };
}
