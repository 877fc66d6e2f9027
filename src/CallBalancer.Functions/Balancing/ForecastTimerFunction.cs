using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Functions.Balancing;

/// <summary>
/// Timer <c>ForecastRefresh</c> (CRON from <c>FORECAST_SCHEDULE</c>; by default one minute after each 15-minute telephony interval ends, when its last events are in): feeds each queue's
/// completed interval arrivals into its forecaster, which the rebalance reads. Idempotent: a repeated interval
/// replaces its own count.
/// </summary>
internal sealed class ForecastTimerFunction(ForecastService forecasts, ILogger<ForecastTimerFunction> logger)
{
    [Function("ForecastRefresh")]
    public async Task RunAsync([TimerTrigger("%FORECAST_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var scored = await forecasts.RefreshAllAsync(cancellationToken);
        foreach (var (queueId, start, forecast, actual) in scored)
        {
            logger.LogInformation("Forecast for {QueueId} at {IntervalStart}: {Forecast:0.0} calls, actual {Actual}", queueId, start, forecast, actual);
        }
    }
}
