using System.Diagnostics;
using System.Reflection;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Status;

/// <summary><c>GET /api/status</c>: whether storage answers, when the last rebalance ran, and the version.</summary>
internal sealed class StatusFunction(CallBalancerTables tables, RunStore runs, TimeProvider time, ILogger<StatusFunction> logger)
{
    private static readonly string Version =
        typeof(StatusFunction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [Function("GetStatus")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status")] HttpRequest request,
        CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        object storage;
        object? lastRebalance = null;
        var healthy = true;
        try
        {
            var last = await runs.GetLastRebalanceAsync(cancellationToken);
            storage = new { reachable = true, latencyMs = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1), endpoint = tables.Service.Uri.GetLeftPart(UriPartial.Authority) };
            if (last is not null)
            {
                lastRebalance = new
                {
                    completedAt = last.CompletedAt,
                    ageSeconds = Math.Round((time.GetUtcNow() - last.CompletedAt).TotalSeconds, 1),
                    queues = last.Queues,
                    flips = last.Flips,
                    failures = last.Failures,
                };
            }
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Status check: storage unreachable");
            healthy = false;
            storage = new { reachable = false, latencyMs = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1), endpoint = tables.Service.Uri.GetLeftPart(UriPartial.Authority), error = ex.GetType().Name };
        }

        var body = new
        {
            status = healthy ? "ok" : "degraded",
            version = Version,
            time = time.GetUtcNow(),
            storage,
            lastRebalance,
        };
        return new ObjectResult(body) { StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
