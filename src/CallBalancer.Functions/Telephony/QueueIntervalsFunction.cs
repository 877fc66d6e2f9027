using System.Globalization;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Telephony;

/// <summary>
/// <c>GET /api/queues/{queueId}/intervals?date=yyyy-mm-dd</c>: the queue's per-interval counts for one UTC day, one
/// object per interval (zeros included), as the forecaster and the service-level reports consume them.
/// </summary>
internal sealed class QueueIntervalsFunction(IntervalStore intervals, TelephonyOptions options, ILogger<QueueIntervalsFunction> logger)
{
    [Function("GetQueueIntervals")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "queues/{queueId}/intervals")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!TableKeys.IsValidId(queueId))
        {
            errors["queueId"] = ["Queue ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        var dateText = request.Query["date"].ToString();
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors["date"] = ["Required: a UTC day as yyyy-mm-dd."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        IReadOnlyList<QueueInterval> day;
        try
        {
            day = await intervals.GetDayAsync(queueId, date, cancellationToken);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "intervals", queueId);
        }

        return new OkObjectResult(new
        {
            queueId,
            date = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            intervalMinutes = options.IntervalMinutes,
            answerTargetSeconds = options.AnswerTargetSeconds,
            intervals = day.Select(i => new
            {
                intervalStart = i.IntervalStart,
                arrivals = i.Counts.Arrivals,
                answered = i.Counts.Answered,
                abandoned = i.Counts.Abandoned,
                answeredWithinTarget = i.Counts.AnsweredWithinTarget,
                answeredWithKnownWait = i.Counts.AnsweredWithKnownWait,
                serviceLevel = i.Counts.ServiceLevel is { } sl ? Math.Round(sl, 4) : (double?)null,
                averageSpeedOfAnswerSeconds = i.Counts.AnsweredWithKnownWait == 0 ? (double?)null : Math.Round(i.Counts.WaitSecondsSum / i.Counts.AnsweredWithKnownWait, 2),
                handleTimeSeconds = Math.Round(i.Counts.HandleTimeSeconds, 3),
                handledCalls = i.Counts.HandledCalls,
                averageHandleSeconds = i.Counts.AverageHandleSeconds is { } aht ? Math.Round(aht, 2) : (double?)null,
            }),
        });
    }
}
