using System.Text.Json;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// <c>GET /api/queues/{queueId}/audit?take=50&amp;continuation=</c>: every settings and override change, newest first, a
/// page at a time (the answer's <c>continuation</c> asks for the next; null at the end). Role <c>supervisor</c>.
/// </summary>
internal sealed class QueueAuditFunction(SupervisionStore store, IConfiguration configuration, ILogger<QueueAuditFunction> logger)
{
    [Function("GetQueueAudit")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "queues/{queueId}/audit")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var (_, problem) = SupervisionRequests.Authorize(request, configuration, queueId);
        if (problem is not null)
        {
            return problem;
        }

        var (after, bad) = SupervisionRequests.Continuation(request, SupervisionStore.IsAuditContinuation);
        if (bad is not null)
        {
            return bad;
        }

        try
        {
            var (entries, continuation) = await store.ListAuditPageAsync(queueId, SupervisionRequests.Take(request, 50, 500), after, cancellationToken);
            return new OkObjectResult(new { queueId, entries = entries.Select(ToJson).ToList(), continuation });
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "audit", queueId);
        }
    }

    internal static object ToJson(AuditEntry e) => new
    {
        kind = e.Kind,
        subject = e.Subject,
        who = e.Who,
        at = e.At,
        reason = e.Reason,
        old = e.OldJson is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(e.OldJson),
        @new = e.NewJson is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(e.NewJson),
    };
}
