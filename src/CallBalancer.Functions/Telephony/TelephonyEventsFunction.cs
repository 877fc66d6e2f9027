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
/// <c>POST /api/telephony/events</c>: one generic telephony event or a batch of up to 500 (<c>{"events": [...]}</c>).
/// Validation is all or nothing (one invalid event: 400 naming <c>events[i].field</c>, nothing written); then each
/// event is answered <c>accepted</c> or <c>duplicate</c>. Needs the function key and, when
/// <c>CallBalancer__Webhooks__SigningSecret</c> is set, a valid <c>X-CallBalancer-Signature</c>.
/// </summary>
internal sealed class TelephonyEventsFunction(
    TelephonyIngestor ingestor,
    WebhookSignature signatures,
    IOptions<WebhookOptions> webhookOptions,
    TimeProvider time,
    ILogger<TelephonyEventsFunction> logger)
{
    [Function("PostTelephonyEvents")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "telephony/events")] HttpRequest request,
        CancellationToken cancellationToken = default) =>
        IngestResponses.ObserveAsync("telephony.events", HandleAsync(request, cancellationToken));

    private async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await JsonBody.ReadBytesAsync(request, cancellationToken: cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (webhookOptions.Value.SigningSecret is { Length: > 0 } secret)
        {
            var check = signatures.Verify(secret, request.Headers[WebhookSignature.HeaderName].ToString(), bytes);
            if (check != WebhookSignatureResult.Valid)
            {
                logger.LogWarning("Rejected telephony events: signature {Result}", check);
                return Problems.Create(StatusCodes.Status403Forbidden, "Signature check failed.", check switch
                {
                    WebhookSignatureResult.Missing => $"The {WebhookSignature.HeaderName} header is required.",
                    WebhookSignatureResult.Malformed => $"{WebhookSignature.HeaderName} must be t=<unix seconds>,v1=<hex HMAC-SHA256>.",
                    WebhookSignatureResult.OutsideWindow => "The signed timestamp is more than five minutes from the server clock.",
                    _ => "The signature does not match the body.",
                });
            }
        }

        var (body, parseProblem) = JsonBody.Parse<TelephonyEventRequest>(bytes);
        if (parseProblem is not null)
        {
            return parseProblem;
        }

        var (events, errors, isBatch) = TelephonyEventValidator.Validate(body!, time.GetUtcNow());
        if (events is null)
        {
            return Problems.Validation(errors);
        }

        var (outcomes, storageProblem) = await IngestResponses.IngestAsync(ingestor, events, "generic", logger, cancellationToken);
        if (storageProblem is not null)
        {
            return storageProblem;
        }

        return new OkObjectResult(isBatch ? IngestResponses.Batch(outcomes!) : IngestResponses.Item(outcomes![0]));
    }
}
