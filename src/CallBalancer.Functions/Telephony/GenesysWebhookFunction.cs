using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Telephony;

/// <summary>
/// <c>POST /api/telephony/genesys</c>: a Genesys Cloud queue observation notification, stored as the queue's latest
/// snapshot (the one the rebalance reads) when it is newer than the stored one. Authenticated by the function key.
/// </summary>
internal sealed class GenesysWebhookFunction(TelephonyIngestor ingestor, TimeProvider time, ILogger<GenesysWebhookFunction> logger)
{
    [Function("PostGenesysObservation")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "telephony/genesys")] HttpRequest request,
        CancellationToken cancellationToken = default) =>
        IngestResponses.ObserveAsync("telephony.genesys", HandleAsync(request, cancellationToken));

    private async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await JsonBody.ReadBytesAsync(request, cancellationToken: cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (document, parseProblem) = JsonBody.ParseDocument(bytes);
        if (parseProblem is not null)
        {
            return parseProblem;
        }

        using (document)
        {
            var now = time.GetUtcNow();
            var mapping = GenesysObservationMapper.Map(document!.RootElement, now);
            if (mapping.IsInvalid)
            {
                return Problems.Validation(mapping.Errors.ToDictionary(e => e.Key, e => e.Value));
            }

            if (TelephonyEventValidator.CheckMapped(mapping.Events, now, "eventBody.data.observationDate") is { Count: > 0 } bounds)
            {
                return Problems.Validation(bounds);
            }

            if (mapping.Events.Count == 0)
            {
                return new OkObjectResult(IngestResponses.Batch([]));
            }

            var (outcomes, storageProblem) = await IngestResponses.IngestAsync(ingestor, mapping.Events, "genesys", logger, cancellationToken);
            return storageProblem ?? new OkObjectResult(IngestResponses.Batch(outcomes!));
        }
    }
}
