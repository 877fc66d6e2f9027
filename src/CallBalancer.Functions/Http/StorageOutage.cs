using CallBalancer.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Http;

/// <summary>
/// What an HTTP function does when Table storage cannot be reached: it logs a warning naming the endpoint and what it
/// was for, counts the request as <c>unavailable</c> on <c>callbalancer.http.requests</c> (the <c>storage-unavailable</c>
/// alert watches that outcome, for every endpoint), and answers 503 problem details, or its own fail-safe answer where it
/// has one (an agent's mode: service-only; the status page: degraded).
/// </summary>
internal static class StorageOutage
{
    /// <summary>The filter of every function's catch: storage is unreachable and the caller did not cancel.</summary>
    public static bool Is(Exception exception, CancellationToken cancellationToken) =>
        StorageFailure.IsUnavailable(exception) && !cancellationToken.IsCancellationRequested;

    /// <summary>Logs and counts the outage, and answers 503 with <paramref name="detail"/> (by default: nothing was written).</summary>
    public static ObjectResult Refuse(ILogger logger, Exception exception, string endpoint, string subject, string? detail = null)
    {
        Note(logger, exception, endpoint, subject, "refused with 503");
        return Problems.StorageUnavailable(detail);
    }

    /// <summary>Logs and counts the outage of an endpoint that answers it its own way (<paramref name="answer"/> says how).</summary>
    public static void Note(ILogger logger, Exception exception, string endpoint, string subject, string answer)
    {
        ArgumentNullException.ThrowIfNull(logger);
        logger.LogWarning(exception, "Storage unavailable; {Endpoint} for {Subject} {Answer}", endpoint, subject, answer);
        CallBalancerTelemetry.RecordRequest(endpoint, CallBalancerTelemetry.UnavailableOutcome);
    }
}
