using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Telephony;

/// <summary>
/// <c>POST /api/telephony/twilio</c>: Twilio TaskRouter event callbacks (form-encoded). The <c>X-Twilio-Signature</c>
/// is the authentication (Twilio cannot send a function key header), checked with <c>CallBalancer__Twilio__AuthToken</c>
/// over <c>CallBalancer__PublicBaseUrl</c> + path + query: 403 when missing or wrong. A valid callback gets 204, also for
/// event types the balancer does not use. An optional <c>?queueId=</c> on the callback URL names the queue of events
/// that carry no task queue (worker activity updates).
/// </summary>
internal sealed class TwilioWebhookFunction(
    TelephonyIngestor ingestor,
    IOptions<WebhookOptions> webhookOptions,
    TimeProvider time,
    ILogger<TwilioWebhookFunction> logger)
{
    public const string SignatureHeader = "X-Twilio-Signature";

    [Function("PostTwilioTaskRouterEvent")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "telephony/twilio")] HttpRequest request,
        CancellationToken cancellationToken = default) =>
        IngestResponses.ObserveAsync("telephony.twilio", HandleAsync(request, cancellationToken));

    private async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || !(request.ContentType ?? string.Empty).StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                "TaskRouter callbacks are application/x-www-form-urlencoded.");
        }

        var (bytes, tooLarge) = await JsonBody.ReadLimitedAsync(request, cancellationToken: cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(bytes!));
        var pairs = fields.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))).ToList();

        var options = webhookOptions.Value;
        if (options.TwilioAuthToken is { Length: > 0 } token)
        {
            var url = PublicUrl(request, options.PublicBaseUrl);
            if (!TwilioSignature.IsValid(token, url, pairs, request.Headers[SignatureHeader].ToString()))
            {
                logger.LogWarning("Rejected a Twilio callback: {Header} missing or invalid for {Path}", SignatureHeader, request.Path.Value);
                return Problems.Create(StatusCodes.Status403Forbidden, "Signature check failed.",
                    $"{SignatureHeader} is missing or does not match this request.");
            }
        }
        else if (options.TwilioRequireSignature)
        {
            logger.LogError("Rejected a Twilio callback: CallBalancer__Twilio__AuthToken is not configured");
            return Problems.Create(StatusCodes.Status403Forbidden, "Signature check failed.",
                "Twilio callbacks cannot be verified: the auth token is not configured.");
        }

        // Last value wins for a repeated field, which TaskRouter does not send anyway.
        var form = fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var mapping = TwilioTaskRouterMapper.Map(form, request.Query["queueId"].ToString() is { Length: > 0 } q ? q : null);
        if (mapping.IsInvalid)
        {
            return Problems.Validation(mapping.Errors.ToDictionary(e => e.Key, e => e.Value));
        }

        if (TelephonyEventValidator.CheckMapped(mapping.Events, time.GetUtcNow(), "Timestamp") is { Count: > 0 } bounds)
        {
            return Problems.Validation(bounds);
        }

        if (mapping.Events.Count > 0)
        {
            var (_, storageProblem) = await IngestResponses.IngestAsync(ingestor, mapping.Events, "twilio", logger, cancellationToken);
            if (storageProblem is not null)
            {
                return storageProblem;
            }
        }

        return new NoContentResult();
    }

    /// <summary>
    /// The URL as Twilio called it: the configured public base (<c>scheme://host[:port]</c>; any path on it is ignored)
    /// plus the path and query received. Without a configured base, the request's own scheme and host.
    /// </summary>
    internal static string PublicUrl(HttpRequest request, Uri? publicBaseUrl)
    {
        var origin = publicBaseUrl is null ? $"{request.Scheme}://{request.Host.Value}" : publicBaseUrl.GetLeftPart(UriPartial.Authority);
        return origin + request.PathBase.Value + request.Path.Value + request.QueryString.Value;
    }
}
