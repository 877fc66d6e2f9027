using System.Diagnostics;
using System.Reflection;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Status;

/// <summary>
/// <c>GET /api/status</c>: whether storage answers, when the last rebalance ran, which queues' rebalances are failing
/// (and whether their desktops already fail safe), and the version; with the rebalance fanned out
/// (<c>CallBalancer__Rebalance__WorkQueueName</c> set), whether the work queue answers and its length.
/// 503 when a dependency is unreachable. A failing queue does not make it 503: the balancer and storage work, and the
/// <c>rebalance-failures</c> alert covers it.
/// </summary>
internal sealed class StatusFunction(
    CallBalancerTables tables,
    RunStore runs,
    IRebalanceWorkQueue workQueue,
    IOptions<RebalanceOptions> rebalance,
    IOptions<BalancingOptions> balancing,
    TimeProvider time,
    ILogger<StatusFunction> logger)
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
                var now = time.GetUtcNow();
                var staleAfter = TimeSpan.FromSeconds(balancing.Value.StaleRebalanceSeconds);
                lastRebalance = new
                {
                    completedAt = last.CompletedAt,
                    ageSeconds = Math.Round((now - last.CompletedAt).TotalSeconds, 1),
                    queues = last.Queues,
                    flips = last.Flips,
                    failures = last.Failures,
                    failingQueues = last.FailingQueues.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => new
                    {
                        queueId = q.Key,
                        firstFailedAt = q.Value.FirstFailedAt,
                        lastFailedAt = q.Value.LastFailedAt,
                        failSafe = RebalanceRunSummary.IsFailSafe(q.Value, now, staleAfter),
                    }).ToList(),
                };
            }
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            // Counted like every other endpoint's outage: a health probe keeps the alert firing when no traffic comes in.
            StorageOutage.Note(logger, ex, "status", "the status check", "answered degraded (503)");
            healthy = false;
            storage = new { reachable = false, latencyMs = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1), endpoint = tables.Service.Uri.GetLeftPart(UriPartial.Authority), error = ex.GetType().Name };
        }

        object? queue = null;
        if (!string.IsNullOrEmpty(rebalance.Value.WorkQueueName))
        {
            stopwatch.Restart();
            try
            {
                var (name, length) = await workQueue.GetLengthAsync(cancellationToken);
                queue = new { reachable = true, latencyMs = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1), name, approximateMessages = length };
            }
            catch (Exception ex) when ((ex is Azure.RequestFailedException or InvalidOperationException || StorageFailure.IsUnavailable(ex)) && !cancellationToken.IsCancellationRequested)
            {
                // Unreachable, missing (404) or not configured: the fan-out cannot run.
                logger.LogWarning(ex, "Status check: rebalance work queue unavailable");
                healthy = false;
                queue = new { reachable = false, latencyMs = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1), name = rebalance.Value.WorkQueueName, error = ex is Azure.RequestFailedException { ErrorCode: { } code } ? code : ex.GetType().Name };
            }
        }

        var body = new
        {
            status = healthy ? "ok" : "degraded",
            version = Version,
            time = time.GetUtcNow(),
            storage,
            workQueue = queue,
            lastRebalance,
        };
        return new ObjectResult(body) { StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
