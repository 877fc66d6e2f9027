using Azure;
using CallBalancer.Core.Supervision;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// <c>GET</c> / <c>PUT /api/queues/{queueId}/settings</c>: a queue's supervisor settings, versioned by ETag
/// (<c>If-Match</c> required on PUT: 428 without, 412 when stale), each change audited. Role <c>supervisor</c>.
/// </summary>
internal sealed class QueueSettingsFunction(
    SupervisionStore store,
    IOptions<BalancingOptions> defaults,
    IOptions<TelephonyOptions> telephony,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<QueueSettingsFunction> logger)
{
    [Function("GetQueueSettings")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "queues/{queueId}/settings")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var (_, problem) = SupervisionRequests.Authorize(request, configuration, queueId);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var stored = await store.GetSettingsAsync(queueId, cancellationToken);
            request.HttpContext.Response.Headers.ETag = QueueSettingsMapper.ETagOf(stored);
            return new OkObjectResult(QueueSettingsMapper.ToDocument(queueId, stored?.Settings ?? Defaults, stored, telephony.Value.IntervalMinutes));
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "settings", queueId);
        }
    }

    [Function("PutQueueSettings")]
    public async Task<IActionResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "queues/{queueId}/settings")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var (principal, problem) = SupervisionRequests.Authorize(request, configuration, queueId);
        if (problem is not null)
        {
            return problem;
        }

        var ifMatch = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return Problems.Create(StatusCodes.Status428PreconditionRequired, "If-Match required.",
                "Send the ETag from GET /api/queues/{queueId}/settings in If-Match, so a change is never based on settings you have not seen.");
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<QueueSettingsRequest>(request, cancellationToken: cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        try
        {
            var stored = await store.GetSettingsAsync(queueId, cancellationToken);
            if (ifMatch != QueueSettingsMapper.ETagOf(stored))
            {
                return Stale(queueId);
            }

            var current = stored?.Settings ?? Defaults;
            var (next, errors) = QueueSettingsMapper.Merge(body!, current, telephony.Value.IntervalMinutes);
            if (QueueSettingsMapper.ReasonError(body!.Reason) is { } reasonError)
            {
                errors["reason"] = [reasonError];
            }

            if (errors.Count > 0)
            {
                return Problems.Validation(errors);
            }

            var at = time.GetUtcNow();
            var audit = new AuditEntry("settings", "settings", principal!.Name, at,
                System.Text.Json.JsonSerializer.Serialize(current, SupervisionStore.Json),
                System.Text.Json.JsonSerializer.Serialize(next, SupervisionStore.Json),
                body.Reason!.Trim());
            var etag = await store.SaveSettingsAsync(queueId, next!, stored?.ETag, audit, cancellationToken);
            logger.LogInformation("Settings of {QueueId} changed by {Who}: {Reason}", queueId, principal.Name, audit.Reason);
            request.HttpContext.Response.Headers.ETag = etag.ToString();
            return new OkObjectResult(QueueSettingsMapper.ToDocument(queueId, next!, new StoredSettings(next!, etag, principal.Name, at), telephony.Value.IntervalMinutes));
        }
        catch (SupervisionConflictException)
        {
            return Stale(queueId);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "settings", queueId);
        }
    }

    private SupervisorSettings Defaults => SupervisorSettings.From(defaults.Value.ToQueueSettings());

    private static ObjectResult Stale(string queueId) =>
        Problems.Create(StatusCodes.Status412PreconditionFailed, "The settings changed.",
            $"The settings of '{queueId}' changed since your If-Match version; GET them again and re-apply your change. Nothing was written.");
}
