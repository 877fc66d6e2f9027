using CallBalancer.Core.Balancing;
using CallBalancer.Core.Forecasting;
using CallBalancer.Core.Supervision;
using CallBalancer.Core.Telephony;
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
/// <c>GET /api/queues/{queueId}/dashboard</c>: everything the live dashboard shows for a queue, in one answer, at
/// most one storage request per table (the snapshot point read, the queue's agent-mode partition, the newest
/// decisions of this month's log, the supervisor partition from <c>override_</c> up, the last-run point read, the forecaster-state point read, today's telephony intervals).
/// Role <c>supervisor</c>.
/// </summary>
internal sealed class DashboardSummaryFunction(
    SnapshotStore snapshots,
    AgentModeStore modes,
    DecisionStore decisions,
    SupervisionStore supervision,
    RunStore runs,
    ForecastStore forecasts,
    IntervalStore intervals,
    IOptions<BalancingOptions> defaults,
    IOptions<TelephonyOptions> telephony,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DashboardSummaryFunction> logger)
{
    private const int RecentDecisions = 12;

    [Function("GetQueueDashboard")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "queues/{queueId}/dashboard")] HttpRequest request,
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
            var snapshotTask = snapshots.GetLatestAsync(queueId, cancellationToken);
            var modesTask = modes.GetQueueModesAsync(queueId, cancellationToken);
            var decisionsTask = decisions.ListRecentAsync(queueId, RecentDecisions, cancellationToken);
            var supervisionTask = supervision.GetAsync(queueId, cancellationToken);
            var lastRunTask = runs.GetLastRebalanceAsync(cancellationToken);
            var forecastTask = forecasts.GetAsync(queueId, cancellationToken);
            var now = time.GetUtcNow();
            var intervalsTask = intervals.GetDayAsync(queueId, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
            await Task.WhenAll(snapshotTask, modesTask, decisionsTask, supervisionTask, lastRunTask, forecastTask, intervalsTask);

            var snapshot = snapshotTask.Result;
            var agentModes = modesTask.Result.Select(m => m.State).OrderBy(m => m.AgentId, StringComparer.Ordinal).ToList();
            var state = supervisionTask.Result;
            var queueDefaults = defaults.Value.ToQueueSettings();
            var settings = state.Settings?.Settings ?? SupervisorSettings.From(queueDefaults);
            var active = state.Overrides.Where(o => o.IsActiveAt(now)).ToList();
            var resolution = ModeOverrides.Resolve(active, settings,
                agentModes.Select(m => m.AgentId).Concat(snapshot?.Agents.Select(a => a.AgentId) ?? []), now);
            // The window the offer hold's service-level guard judges (OfferHoldCache.GuardWindow): what the supervisor
            // sees here is what holds the offers.
            var (halfHour, halfHourEnd) = OfferHoldCache.GuardWindow(now, intervals.IntervalLength);
            var today = intervalsTask.Result;
            var thisHalfHour = today.Where(i => i.IntervalStart >= halfHour && i.IntervalStart < halfHourEnd)
                .Aggregate(IntervalCounts.Zero, (sum, i) => sum + i.Counts);

            // As the simulator counts it: every offered call that ended (answered with a known wait, or abandoned) is in
            // the denominator; only answers within the target count as met.
            var ended = thisHalfHour.Resolved;
            var lastRun = lastRunTask.Result;

            // What every desktop of the queue is told instead of its recorded mode (service-only, no offers), or null.
            var failSafe = RebalanceRunSummary.FailSafeReason(lastRun, queueId, now, TimeSpan.FromSeconds(defaults.Value.StaleRebalanceSeconds));
            var crossSelling = agentModes.Count(m => m.Mode == AgentMode.CrossSell);

            return new OkObjectResult(new
            {
                queueId,
                now,
                snapshot = snapshot is null ? null : new
                {
                    observedAt = snapshot.ObservedAt,
                    ageSeconds = Math.Round((now - snapshot.ObservedAt).TotalSeconds, 1),
                    waitingCalls = snapshot.WaitingCalls,
                    oldestWaitSeconds = snapshot.OldestWaitSeconds,
                    staffedAgents = snapshot.StaffedAgents,
                    idleAgents = snapshot.IdleAgents,
                    agentsByState = snapshot.Agents.GroupBy(a => a.State.ToName()).ToDictionary(g => g.Key, g => g.Count()),
                },

                serviceLevel = new
                {
                    halfHourStart = halfHour,
                    value = ended == 0 ? (double?)null : Math.Round((double)thisHalfHour.AnsweredWithinTarget / ended, 4),
                    answeredWithinTarget = thisHalfHour.AnsweredWithinTarget,
                    answered = thisHalfHour.AnsweredWithKnownWait,
                    abandoned = thisHalfHour.Abandoned,
                    target = settings.ServiceLevelTarget,
                    targetSeconds = settings.TargetSeconds,

                    // Why cross-sellers get no offers for the rest of this half-hour, or null (OfferHold.GuardReason).
                    offerHoldGuard = OfferHold.GuardReason(thisHalfHour, settings.ApplyTo(queueDefaults)),
                    note = ended == 0
                        ? "No answered or abandoned call with a known wait this half-hour (from telephony call events)."
                        : "Answered within the target over answered plus abandoned calls, from telephony call events; the target seconds are the telephony setting's.",
                },
                agents = new
                {
                    serviceOnly = agentModes.Count(m => m.Mode == AgentMode.ServiceOnly),
                    crossSell = crossSelling,

                    // The recorded cross-sellers whose desktops show cross-sell (none while the queue fails safe).
                    crossSellOnDesktops = failSafe is null ? crossSelling : 0,
                    pending = agentModes.Count(m => m.PendingMode is not null),
                    list = agentModes.Select(m => new
                    {
                        agentId = m.AgentId,
                        mode = m.Mode.ToName(),
                        desktopMode = (failSafe is null ? m.Mode : AgentMode.ServiceOnly).ToName(),
                        pendingMode = m.PendingMode?.ToName(),
                        since = m.Since,
                        reason = m.Reason,
                        forced = resolution.ForcedModes.TryGetValue(m.AgentId, out var f) ? f.ToName() : null,
                    }).ToList(),
                },
                recentDecisions = decisionsTask.Result.Select(QueueDecisionsFunction.ToJson).ToList(),
                overrides = active.Select(o => ModeOverridesFunction.ToJson(o, now)).ToList(),
                frozen = resolution.Frozen,
                crossSellWindowOpen = settings.AllowsCrossSellAt(now),

                arrivals = Arrivals(forecastTask.Result?.State, today, now),
                settings = QueueSettingsMapper.ToDocument(queueId, settings, state.Settings, telephony.Value.IntervalMinutes),
                settingsETag = QueueSettingsMapper.ETagOf(state.Settings),
                lastRebalance = lastRun is null ? null : new { completedAt = lastRun.CompletedAt, ageSeconds = Math.Round((now - lastRun.CompletedAt).TotalSeconds, 1) },

                // The agents' modes above are what the balancer last wrote; their desktopMode is what the desktops show.
                failSafe,
            });
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            return StorageOutage.Refuse(logger, ex, "dashboard", queueId);
        }
    }

    /// <summary>
    /// Today's day-ahead forecast per interval (from the queue's forecaster state) beside the arrivals counted so far
    /// (from telephony call events, else the counts the forecaster has observed), by interval start; null when there is
    /// neither a forecast nor a counted arrival.
    /// </summary>
    internal static IReadOnlyList<object>? Arrivals(ArrivalForecastState? state, IReadOnlyList<QueueInterval> counted, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var rows = new SortedDictionary<DateTime, (double? Forecast, double? Lower, double? Upper, double? Actual)>();
        if (state is { IntervalSeconds: > 0, SlotCount: > 0 } && !(state.CurrentDate > today))
        {
            var forecast = new ArrivalForecaster(state.Clone()).ForecastDay(today);
            var observed = state.CurrentDate == today ? state.CurrentDayCalls : [];
            for (var j = 0; j < forecast.Count; j++)
            {
                rows[forecast[j].IntervalStart] = (Math.Round(forecast[j].Mean, 2), Math.Round(forecast[j].Lower, 2), Math.Round(forecast[j].Upper, 2), j < observed.Length ? observed[j] : null);
            }
        }

        var lastCounted = counted.LastOrDefault(i => !i.Counts.IsZero)?.IntervalStart;
        foreach (var i in counted.Where(i => lastCounted is not null && i.IntervalStart <= lastCounted))
        {
            var at = i.IntervalStart.UtcDateTime;
            rows[at] = rows.TryGetValue(at, out var row) ? row with { Actual = i.Counts.Arrivals } : (null, null, null, i.Counts.Arrivals);
        }

        return rows.Count == 0 ? null : rows.Select(r => (object)new
        {
            intervalStart = r.Key,
            forecast = r.Value.Forecast,
            lower = r.Value.Lower,
            upper = r.Value.Upper,
            actual = r.Value.Actual,
        }).ToList();
    }
}
