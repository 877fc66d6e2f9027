using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// Supervisor overrides of a queue: force an agent or the whole queue to a mode, or freeze the queue's modes, until a
/// time or until cleared. Every change is audited; the next rebalance honours it and records it in its decision.
/// Role <c>supervisor</c>.
/// </summary>
internal sealed class ModeOverridesFunction(
    SupervisionStore store,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<ModeOverridesFunction> logger)
{
    [Function("GetModeOverrides")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "queues/{queueId}/overrides")] HttpRequest request,
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
            var state = await store.GetAsync(queueId, cancellationToken);
            var now = time.GetUtcNow();
            return new OkObjectResult(new { queueId, overrides = state.Overrides.Select(o => ToJson(o, now)).ToList() });
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "overrides", queueId);
        }
    }

    [Function("PostModeOverride")]
    public async Task<IActionResult> SetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "queues/{queueId}/overrides")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var (principal, problem) = SupervisionRequests.Authorize(request, configuration, queueId);
        if (problem is not null)
        {
            return problem;
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<ModeOverrideRequest>(request, 16 * 1024, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        OverrideScope? scope = body!.Scope?.ToLowerInvariant() switch
        {
            "agent" => OverrideScope.Agent,
            "queue" => OverrideScope.Queue,
            "freeze" => OverrideScope.Freeze,
            _ => null,
        };
        if (scope is null)
        {
            errors["scope"] = ["Must be 'agent', 'queue' or 'freeze'."];
        }

        AgentMode? mode = null;
        if (scope is OverrideScope.Agent or OverrideScope.Queue)
        {
            if (AgentStateNames.TryParseMode(body.Mode, out var parsed))
            {
                mode = parsed;
            }
            else
            {
                errors["mode"] = ["Must be 'service-only' or 'cross-sell'."];
            }
        }
        else if (body.Mode is not null && scope is OverrideScope.Freeze)
        {
            errors["mode"] = ["A freeze keeps the current modes; send no mode."];
        }

        if (scope is OverrideScope.Agent && !TableKeys.IsValidId(body.AgentId))
        {
            errors["agentId"] = ["Agent ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }
        else if (scope is not OverrideScope.Agent && body.AgentId is not null)
        {
            errors["agentId"] = ["Only an 'agent' override names an agent."];
        }

        if (body.Until is { } until && until <= now)
        {
            errors["until"] = ["Must be in the future (or left out: until cleared)."];
        }

        if (QueueSettingsMapper.ReasonError(body.Reason) is { } reasonError)
        {
            errors["reason"] = [reasonError];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var agentId = scope is OverrideScope.Agent ? body.AgentId : null;
        var modeOverride = new ModeOverride(ModeOverride.IdFor(scope!.Value, agentId), queueId, scope.Value, agentId, mode,
            body.Until, body.Reason!.Trim(), principal!.Name, now);
        try
        {
            await store.SetOverrideAsync(modeOverride, modeOverride.Reason, cancellationToken);
        }
        catch (SupervisionConflictException)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "The override changed.",
                "Another supervisor changed this override at the same moment; read the overrides again. Nothing was written.");
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "overrides", queueId);
        }

        logger.LogInformation("Override {OverrideId} of {QueueId} set by {Who}: {Reason}", modeOverride.Id, queueId, principal.Name, modeOverride.Reason);
        return new ObjectResult(ToJson(modeOverride, now)) { StatusCode = StatusCodes.Status201Created };
    }

    [Function("DeleteModeOverride")]
    public async Task<IActionResult> ClearAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "queues/{queueId}/overrides/{overrideId}")] HttpRequest request,
        string queueId,
        string overrideId,
        CancellationToken cancellationToken = default)
    {
        var (principal, problem) = SupervisionRequests.Authorize(request, configuration, queueId);
        if (problem is not null)
        {
            return problem;
        }

        var reason = request.Query["reason"].ToString();
        if (QueueSettingsMapper.ReasonError(reason) is { } reasonError)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["reason"] = [reasonError] });
        }

        try
        {
            var cleared = await store.ClearOverrideAsync(queueId, overrideId, principal!.Name, time.GetUtcNow(), reason.Trim(), cancellationToken);
            if (!cleared)
            {
                return Problems.NotFound($"Queue '{queueId}' has no override '{overrideId}'.");
            }
        }
        catch (SupervisionConflictException)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "The override changed.", "Read the overrides again. Nothing was written.");
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "overrides", queueId);
        }

        logger.LogInformation("Override {OverrideId} of {QueueId} cleared by {Who}", overrideId, queueId, principal.Name);
        return new NoContentResult();
    }

    internal static object ToJson(ModeOverride o, DateTimeOffset now) => new
    {
        id = o.Id,
        scope = o.Scope.ToString().ToLowerInvariant(),
        agentId = o.AgentId,
        mode = o.Mode?.ToName(),
        until = o.Until,
        reason = o.Reason,
        setBy = o.SetBy,
        setAt = o.SetAt,
        active = o.IsActiveAt(now),
    };
}
