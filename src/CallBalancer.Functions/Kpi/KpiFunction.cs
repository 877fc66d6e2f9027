using CallBalancer.Core.Kpi;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Kpi;

/// <summary>
/// KPI reports for <c>[from, to)</c>, summed from the ledger and the telephony call events:
/// <c>GET /api/agents/{agentId}/kpi?from=...&amp;to=...</c> and the supervisor's
/// <c>GET /api/queues/{queueId}/kpi?from=...&amp;to=...</c> (the queue in total and each of its agents in it).
/// <c>format=csv</c> answers the same figures as a CSV download (<see cref="KpiCsv"/>).
/// </summary>
internal sealed class KpiFunction(KpiService kpi, IConfiguration configuration, ILogger<KpiFunction> logger)
{
    /// <summary>The longest period one report covers.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    [Function("GetAgentKpi")]
    public async Task<IActionResult> AgentAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "agents/{agentId}/kpi")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken = default)
    {
        var (from, to, errors) = Period(request);
        var csv = WantsCsv(request, errors);
        if (!TableKeys.IsValidId(agentId))
        {
            errors["agentId"] = ["Agent ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var report = await kpi.AgentReportAsync(agentId, from, to, cancellationToken);
            return csv
                ? Csv(request, KpiCsv.Write([("agent", agentId, report)]), $"kpi-agent-{agentId}", from, to)
                : new OkObjectResult(Body(report, new Dictionary<string, object?> { ["agentId"] = agentId }));
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "kpi.agent", agentId);
        }
    }

    [Function("GetQueueKpi")]
    public async Task<IActionResult> QueueAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "queues/{queueId}/kpi")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        if (SupervisorPrincipal.Require(request, configuration).Problem is { } denied)
        {
            return denied;
        }

        var (from, to, errors) = Period(request);
        var csv = WantsCsv(request, errors);
        if (!TableKeys.IsValidId(queueId))
        {
            errors["queueId"] = ["Queue ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var result = await kpi.QueueReportAsync(queueId, from, to, cancellationToken);
            if (result is null)
            {
                return Problems.NotFound($"Queue '{queueId}' has no agent and nothing recorded in the period.");
            }

            if (csv)
            {
                IEnumerable<(string, string, KpiReport)> rows =
                [
                    ("queue", queueId, result.Report),
                    .. result.Agents.Select(a => ("agent", a.AgentId, a.Report)),
                    .. result.CallsWithoutAgent is { } unattributed
                        ? [("unattributed", queueId, new KpiReport(from, to, 0, 0, 0, 0, new AgentCallFacts(unattributed, result.SecondsWithoutAgent)))]
                        : Array.Empty<(string, string, KpiReport)>(),
                ];
                return Csv(request, KpiCsv.Write(rows), $"kpi-queue-{queueId}", from, to);
            }

            var body = Body(result.Report, new Dictionary<string, object?> { ["queueId"] = queueId });
            body["callsWithoutAgent"] = result.CallsWithoutAgent;
            body["agents"] = result.Agents.Select(a => Body(a.Report, new Dictionary<string, object?> { ["agentId"] = a.AgentId })).ToList();
            return new OkObjectResult(body);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "kpi.queue", queueId);
        }
    }

    /// <summary>True for <c>format=csv</c>; JSON when absent or <c>json</c>; anything else is an error.</summary>
    private static bool WantsCsv(HttpRequest request, Dictionary<string, string[]> errors)
    {
        var format = request.Query["format"].ToString();
        if (format.Length == 0 || format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (format.Equals("csv", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        errors["format"] = ["'format' is 'json' (the default) or 'csv'."];
        return false;
    }

    /// <summary>A CSV answer, named for a download (<c>kpi-queue-cards-20261101-20261201.csv</c>).</summary>
    private static ContentResult Csv(HttpRequest request, string csv, string name, DateTimeOffset from, DateTimeOffset to)
    {
        request.HttpContext.Response.Headers.ContentDisposition =
            $"attachment; filename=\"{name}-{from.UtcDateTime:yyyyMMdd}-{to.UtcDateTime:yyyyMMdd}.csv\"";
        return new ContentResult { Content = csv, ContentType = "text/csv; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    private static (DateTimeOffset From, DateTimeOffset To, Dictionary<string, string[]> Errors) Period(HttpRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var from = QueryInstants.Read(request, "from", errors);
        var to = QueryInstants.Read(request, "to", errors);
        if (errors.Count == 0 && (to <= from || to - from > MaxPeriod))
        {
            errors["to"] = [$"'to' must be after 'from', at most {MaxPeriod.TotalDays:0} days later."];
        }

        return (from, to, errors);
    }

    private static Dictionary<string, object?> Body(KpiReport r, Dictionary<string, object?> head)
    {
        head["from"] = r.From;
        head["to"] = r.To;
        head["offersMade"] = r.OffersMade;
        head["acceptances"] = r.Acceptances;
        head["conversion"] = r.Conversion is { } c ? Math.Round(c, 4) : null;
        head["weightedCredit"] = Math.Round(r.WeightedCredit, 6) + 0.0; // + 0.0: a net zero is 0, not -0
        head["ledgerEntries"] = r.LedgerEntries;
        head["callsHandled"] = r.CallFacts?.CallsHandled;
        head["averageHandleSeconds"] = r.CallFacts?.AverageHandleSeconds is { } aht ? Math.Round(aht, 1) : null;
        head["callFacts"] = r.CallFacts is null
            ? "not available"
            : "from the telephony call events: calls that ended with a known handle time in intervals starting in the period";
        return head;
    }
}
