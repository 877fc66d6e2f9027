using System.Text.Json;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Telephony;

/// <summary>
/// <c>POST /api/telephony/connect</c>: Amazon Connect contact events from an EventBridge API destination, one event or
/// an array of up to 500. Authenticated by the function key (the API destination's connection sends it as the
/// <c>x-functions-key</c> header). All or nothing: any unusable event is a 400 naming it, and nothing is written.
/// </summary>
internal sealed class AmazonConnectWebhookFunction(TelephonyIngestor ingestor, TimeProvider time, ILogger<AmazonConnectWebhookFunction> logger)
{
    [Function("PostAmazonConnectEvent")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "telephony/connect")] HttpRequest request,
        CancellationToken cancellationToken = default) =>
        IngestResponses.ObserveAsync("telephony.connect", HandleAsync(request, cancellationToken));

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
            var root = document!.RootElement;
            var isArray = root.ValueKind == JsonValueKind.Array;
            var items = isArray ? root.EnumerateArray().ToList() : [root];
            if (items.Count is 0 or > TelephonyEventValidator.MaxBatch)
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["$"] = [$"Send 1 to {TelephonyEventValidator.MaxBatch} events."] });
            }

            var events = new List<TelephonyEvent>();
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var mapping = AmazonConnectMapper.Map(items[i]);
                foreach (var (key, messages) in mapping.Errors)
                {
                    errors[isArray ? $"[{i}].{key}" : key] = messages;
                }

                events.AddRange(mapping.Events);
            }

            if (errors.Count == 0)
            {
                errors = TelephonyEventValidator.CheckMapped(events, time.GetUtcNow(), "timestamps");
            }

            if (errors.Count > 0)
            {
                return Problems.Validation(errors);
            }

            if (events.Count == 0)
            {
                return new OkObjectResult(IngestResponses.Batch([]));
            }

            var (outcomes, storageProblem) = await IngestResponses.IngestAsync(ingestor, events, "connect", logger, cancellationToken);
            return storageProblem ?? new OkObjectResult(IngestResponses.Batch(outcomes!));
        }
    }
}
