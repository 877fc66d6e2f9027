using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// <c>GET /api/queues/{queueId}/decisions?from=&amp;to=&amp;agentId=&amp;take=50&amp;continuation=</c>: the decision log of a
/// queue for a period, newest first, each with its rule, the numbers that made it fire and the agents it changed, so a
/// mode can be explained after the fact (an agent's mode answer names its <c>decisionId</c>). Role <c>supervisor</c>.
/// </summary>
internal sealed class QueueDecisionsFunction(DecisionStore decisions, TimeProvider time, IConfiguration configuration, ILogger<QueueDecisionsFunction> logger)
{
    /// <summary>The longest period one request covers (the log is kept 35 days by default).</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(92);

    /// <summary>The period when neither end is given.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromHours(24);

    [Function("GetQueueDecisions")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "queues/{queueId}/decisions")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var (_, problem) = SupervisionRequests.Authorize(request, configuration, queueId);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();
        var to = QueryInstants.Read(request, "to", errors, now);
        var from = QueryInstants.Read(request, "from", errors, to.UtcTicks > DefaultPeriod.Ticks ? to - DefaultPeriod : DateTimeOffset.MinValue);
        if (errors.Count == 0 && (to <= from || to - from > MaxPeriod))
        {
            errors["to"] = [$"'to' must be after 'from', at most {MaxPeriod.TotalDays:0} days later."];
        }

        var agentId = request.Query["agentId"].ToString() is { Length: > 0 } a ? a : null;
        if (agentId is not null && !TableKeys.IsValidId(agentId))
        {
            errors["agentId"] = ["Agent ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        var continuation = request.Query["continuation"].ToString() is { Length: > 0 } c ? c : null;
        if (continuation is not null && errors.Count == 0
            && (DecisionStore.ContinuationInstant(continuation) is not { } at || at < from || at >= to))
        {
            errors["continuation"] = ["Not a continuation of this period: pass back the 'continuation' of the previous page with the same 'from' and 'to'."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var page = await decisions.ListAsync(queueId, from, to, agentId, SupervisionRequests.Take(request, 50, 500), continuation,
                cancellationToken: cancellationToken);
            return new OkObjectResult(new
            {
                queueId,
                from,
                to,
                agentId,
                decisions = page.Decisions.Select(ToJson).ToList(),
                continuation = page.Continuation,
            });
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "decisions", queueId);
        }
    }

    /// <summary>A logged decision as the supervisor API shows it (the dashboard's recent flips use the same shape).</summary>
    internal static object ToJson(DecisionRecord d) => new
    {
        decisionId = d.DecisionId,
        decidedAt = d.DecidedAt,
        rule = d.Rule,
        explanation = d.Explanation,
        crossSellAllowed = d.CrossSellAllowed,
        changes = d.Changes,
        inputs = d.Inputs,
        recoveredAt = d.RecoveredAt,
    };
}
