using System.Diagnostics;
using System.Globalization;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Forecasting;
using CallBalancer.Core.Simulation;
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
/// <c>POST /api/queues/{queueId}/what-if</c>: replays a past day of real traffic through the core simulator twice,
/// with the queue's saved settings and with proposed ones, under the same staffing and the same seed, and answers
/// both results side by side (service level, worst half-hour, abandonment, cross-sell calls, flips). Nothing is saved.
/// Role <c>supervisor</c>.
/// </summary>
internal sealed class WhatIfFunction(
    SupervisionStore store,
    WhatIfTraffic traffic,
    IOptions<WhatIfOptions> whatIf,
    IOptions<BalancingOptions> defaults,
    IOptions<TelephonyOptions> telephony,
    IConfiguration configuration,
    ILogger<WhatIfFunction> logger)
{
    /// <summary>Days with calls the queue's own traffic needs before the day replayed.</summary>
    public const int MinHistoryDays = 2;

    [Function("PostWhatIf")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "queues/{queueId}/what-if")] HttpRequest request,
        string queueId,
        CancellationToken cancellationToken = default)
    {
        var (_, problem) = SupervisionRequests.Authorize(request, configuration, queueId);
        if (problem is not null)
        {
            return problem;
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<WhatIfRequest>(request, cancellationToken: cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        StoredSettings? stored;
        try
        {
            stored = await store.GetSettingsAsync(queueId, cancellationToken);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "what-if", queueId);
        }

        var current = stored?.Settings ?? SupervisorSettings.From(defaults.Value.ToQueueSettings());
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!DateOnly.TryParseExact(body!.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors["day"] = ["Must be a date, yyyy-MM-dd."];
        }

        if (body.Source is not (null or "queue" or "sample"))
        {
            errors["source"] = ["'source' is 'queue' (this queue's recorded traffic), 'sample' (the reference files) or absent (the queue's own when it has calls that day)."];
        }

        var (proposed, settingsErrors) = QueueSettingsMapper.Merge(body.Settings ?? new QueueSettingsRequest(), current, telephony.Value.IntervalMinutes);
        foreach (var (field, messages) in settingsErrors)
        {
            errors["settings." + field] = messages;
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        (IntervalCountSeries Series, double? MeanHandleSeconds, Core.Telephony.IntervalCounts Recorded)? own = null;
        if (body.Source is null or "queue")
        {
            try
            {
                own = await traffic.QueueHistoryAsync(queueId, day, cancellationToken);
            }
            catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
            {
                return StorageOutage.Refuse(logger, ex, "what-if", queueId);
            }

            if (own is null && body.Source == "queue")
            {
                return Problems.Create(StatusCodes.Status404NotFound, "No traffic for that day.",
                    $"Queue '{queueId}' has no call recorded on {day:yyyy-MM-dd} (the telephony intervals are kept for the retention period).");
            }
        }

        var data = traffic.Data;
        IntervalCountSeries series;
        IServiceTimeDistribution serviceTimes;
        string source;
        if (own is { } queueTraffic)
        {
            var mean = queueTraffic.MeanHandleSeconds ?? data?.ServiceTimes.Mean;
            if (mean is not { } m)
            {
                return Problems.Create(StatusCodes.Status404NotFound, "No handle times.",
                    $"Queue '{queueId}' has no call with a known handle time in the period, and no reference calls file was found to take one from.");
            }

            // The forecaster learns a day once the next one starts, so planning a day takes calls on two days before it.
            var before = queueTraffic.Series.Days.Count(d => d.Date < day);
            if (before < MinHistoryDays)
            {
                return Problems.Create(StatusCodes.Status404NotFound, "Not enough history.", string.Create(CultureInfo.InvariantCulture,
                    $"Queue '{queueId}' has calls on {before} day(s) before {day:yyyy-MM-dd}: the what-if forecasts and plans the day from at least {MinHistoryDays}."));
            }

            series = queueTraffic.Series;
            serviceTimes = data is { } reference ? new ScaledServiceTimes(reference.ServiceTimes, m) : new LognormalServiceTimes(m, whatIf.Value.ServiceTimeCv);
            source = string.Create(CultureInfo.InvariantCulture,
                $"queue {queueId}: recorded arrivals of {series.Days.Count} day(s) to {day:yyyy-MM-dd}; handle times averaging {m:0} s ({(queueTraffic.MeanHandleSeconds is null ? "the reference calls' mean" : "this queue's")}), {(data is null ? $"lognormal with CV {whatIf.Value.ServiceTimeCv:0.##}" : "spread as the reference calls")}");
        }
        else if (data is { } sample)
        {
            (series, serviceTimes, source) = sample;
        }
        else
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "No traffic data.",
                $"Queue '{queueId}' has no call recorded on {day:yyyy-MM-dd}, and no '{whatIf.Value.ArrivalsFile}' and '{whatIf.Value.CallsFile}' were found: set CallBalancer__WhatIf__DataPath to the folder holding them.");
        }

        var stopwatch = Stopwatch.StartNew();
        SimulationDay simulated;
        var baseOptions = Options(current, whatIf.Value.Seed);
        try
        {
            // One day, one staffing plan (from the saved target): the two runs differ only by the settings under test.
            simulated = SimulationDayBuilder.Build(series, day, serviceTimes, baseOptions);
        }
        catch (ArgumentException ex)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No traffic for that day.", ex.Message);
        }

        // Each run is held by its own settings' cross-sell windows, as the live rebalance would hold the queue.
        var runs = await Task.WhenAll(
            Task.Run(() => ContactCentreSimulator.Run(simulated, new ForecastModePolicy(ForecastSource.Intraday) { Supervisor = current }, baseOptions), cancellationToken),
            Task.Run(() => ContactCentreSimulator.Run(simulated, new ForecastModePolicy(ForecastSource.Intraday) { Supervisor = proposed }, Options(proposed!, whatIf.Value.Seed)), cancellationToken));
        logger.LogInformation("What-if of {QueueId} on {Day} ran in {Seconds:0.00} s", queueId, day, stopwatch.Elapsed.TotalSeconds);
        return new OkObjectResult(new
        {
            queueId,
            day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            source,
            policy = "forecast",
            seed = whatIf.Value.Seed,
            offeredCalls = runs[0].OfferedCalls,
            current = ToJson(runs[0]),
            proposed = ToJson(runs[1]),
            recorded = own is { Recorded: var r } ? Recorded(r) : null,
            seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 3),
        });
    }

    private static SimulationOptions Options(SupervisorSettings s, int seed) => new()
    {
        Seed = seed,
        TargetServiceLevel = s.ServiceLevelTarget,
        TargetSeconds = s.TargetSeconds,
        EligibleShare = s.EligibleShare,
        PitchMeanSeconds = s.PitchSeconds,
        PolicySettings = s.ApplyTo(QueueSettings.Default),
    };

    /// <summary>
    /// What the telephony events recorded that day, counted as the simulator counts (every offered call that ended,
    /// answered with a known wait or abandoned, is in the service level's denominator), to set the simulation beside.
    /// </summary>
    private static object Recorded(Core.Telephony.IntervalCounts c)
    {
        var ended = c.Resolved;
        return new
        {
            offeredCalls = c.Arrivals,
            serviceLevel = ended > 0 ? Math.Round((double)c.AnsweredWithinTarget / ended, 4) : (double?)null,
            abandonRate = c.Arrivals > 0 ? Math.Round((double)c.Abandoned / c.Arrivals, 4) : (double?)null,
            averageHandleSeconds = c.AverageHandleSeconds is { } aht ? Math.Round(aht, 1) : (double?)null,
        };
    }

    private static object ToJson(SimulationResult r) => new
    {
        serviceLevel = Math.Round(r.ServiceLevel, 4),
        worstHalfHourServiceLevel = Math.Round(r.WorstHalfHourServiceLevel, 4),
        abandonRate = Math.Round(r.AbandonRate, 4),
        crossSellCalls = r.CrossSellCalls,
        crossSellAcceptances = r.CrossSellAcceptances,
        modeFlips = r.ModeFlips,
        flipsPerAgentHour = Math.Round(r.FlipsPerAgentHour, 3),
        agentHours = Math.Round(r.AgentHours, 1),
    };
}
