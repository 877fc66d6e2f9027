using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Balancing;

/// <summary><c>POST /api/queues/{queueId}/snapshot</c>: the telephony platform's view of a queue.</summary>
internal sealed class QueueSnapshotFunction(SnapshotStore snapshots, TimeProvider time, ILogger<QueueSnapshotFunction> logger)
{
    [Function("PostQueueSnapshot")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "queues/{queueId}/snapshot")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var (body, problem) = await JsonBody.ReadAsync<QueueSnapshotRequest>(request, cancellationToken: cancellationToken);
        if (problem is not null)
        {
            CallBalancerTelemetry.RecordRequest("snapshot", "rejected");
            return problem;
        }

        var (snapshot, errors) = QueueSnapshotValidator.Validate(queueId, body!, time.GetUtcNow());
        if (snapshot is null)
        {
            CallBalancerTelemetry.RecordRequest("snapshot", "rejected");
            return Problems.Validation(errors);
        }

        bool stored;
        try
        {
            stored = await snapshots.SaveLatestAsync(snapshot, cancellationToken);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "snapshot", queueId);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Other posts for the queue kept winning the race for its row, beyond the retries: nothing was written.
            logger.LogWarning(ex, "Snapshot of {QueueId} lost every race for its row", queueId);
            CallBalancerTelemetry.RecordRequest("snapshot", "rejected");
            return Problems.Create(StatusCodes.Status409Conflict, "Contended.",
                $"Other snapshots of queue '{queueId}' kept replacing its row while this one was stored; nothing was written. Retry.");
        }

        CallBalancerTelemetry.RecordRequest("snapshot", stored ? "accepted" : "superseded");
        logger.LogInformation("Snapshot of {QueueId} at {ObservedAt}: {Waiting} waiting, {Agents} agents, stored {Stored}",
            queueId, snapshot.ObservedAt, snapshot.WaitingCalls, snapshot.Agents.Count, stored);
        return new AcceptedResult((string?)null, new
        {
            queueId,
            observedAt = snapshot.ObservedAt,
            status = stored ? "accepted" : "superseded",
            detail = stored ? null : "A snapshot at least as new is already stored; this one changes nothing.",
        });
    }
}
