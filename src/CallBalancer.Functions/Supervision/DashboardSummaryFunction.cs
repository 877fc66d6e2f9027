using CallBalancer.Core.Balancing;
using CallBalancer.Core.Forecasting;
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
/// <c>GET /api/queues/{queueId}/dashboard</c>: everything the live dashboard shows for a queue, in one answer, at
/// most one storage request per table (the snapshot point read, the queue's agent-mode partition, the newest
/// decisions of this month's log, the supervisor partition from <c>override_</c> up, the last-run point read, the forecaster-state point read).
/// Role <c>supervisor</c>.
/// </summary>
internal sealed class DashboardSummaryFunction(
    SnapshotStore snapshots,
    AgentModeStore modes,
    DecisionStore decisions,
    SupervisionStore supervision,
    RunStore runs,
    ForecastStore forecasts,
    IOptions<BalancingOptions> defaults,
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
        var (_, problem) = SupervisorPrincipal.Require(request, configuration);
        if (problem is not null)
        {
            return problem;
        }

        if (SupervisionRequests.QueueIdProblem(queueId) is { } bad)
        {
            return bad;
        }

        try
        {
            var snapshotTask = snapshots.GetLatestAsync(queueId, cancellationToken);
            var modesTask = modes.GetQueueModesAsync(queueId, cancellationToken);
            var decisionsTask = decisions.ListRecentAsync(queueId, RecentDecisions, cancellationToken);
            var supervisionTask = supervision.GetAsync(queueId, cancellationToken);
            var lastRunTask = runs.GetLastRebalanceAsync(cancellationToken);
            var forecastTask = forecasts.GetAsync(queueId, cancellationToken);
            await Task.WhenAll(snapshotTask, modesTask, decisionsTask, supervisionTask, lastRunTask, forecastTask);

            var now = time.GetUtcNow();
            var snapshot = snapshotTask.Result;
            var agentModes = modesTask.Result.Select(m => m.State).OrderBy(m => m.AgentId, StringComparer.Ordinal).ToList();
            var state = supervisionTask.Result;
            var settings = state.Settings?.Settings ?? SupervisorSettings.From(defaults.Value.ToQueueSettings());
            var active = state.Overrides.Where(o => o.IsActiveAt(now)).ToList();
            var resolution = ModeOverrides.Resolve(active, settings,
                agentModes.Select(m => m.AgentId).Concat(snapshot?.Agents.Select(a => a.AgentId) ?? []), now);
            var halfHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute / 30 * 30, 0, TimeSpan.Zero);
            var lastRun = lastRunTask.Result;

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

                // Measuring it needs per-call answer times (call events); until they are stored the dashboard says "unknown".
                serviceLevel = new
                {
                    halfHourStart = halfHour,
                    value = (double?)null,
                    target = settings.ServiceLevelTarget,
                    targetSeconds = settings.TargetSeconds,
                    note = "Not measured yet: needs call events (answered and abandoned calls with their waits).",
                },
                agents = new
                {
                    serviceOnly = agentModes.Count(m => m.Mode == AgentMode.ServiceOnly),
                    crossSell = agentModes.Count(m => m.Mode == AgentMode.CrossSell),
                    pending = agentModes.Count(m => m.PendingMode is not null),
                    list = agentModes.Select(m => new
                    {
                        agentId = m.AgentId,
                        mode = m.Mode.ToName(),
                        pendingMode = m.PendingMode?.ToName(),
                        since = m.Since,
                        reason = m.Reason,
                        forced = resolution.ForcedModes.TryGetValue(m.AgentId, out var f) ? f.ToName() : null,
                    }).ToList(),
                },
                recentDecisions = decisionsTask.Result.Select(d => new
                {
                    decisionId = d.DecisionId,
                    decidedAt = d.DecidedAt,
                    rule = d.Rule,
                    explanation = d.Explanation,
                    crossSellAllowed = d.CrossSellAllowed,
                    changes = d.Changes,
                    inputs = d.Inputs,
                }).ToList(),
                overrides = active.Select(o => ModeOverridesFunction.ToJson(o, now)).ToList(),
                frozen = resolution.Frozen,
                crossSellWindowOpen = settings.AllowsCrossSellAt(now),

                arrivals = Arrivals(forecastTask.Result?.State, now),
                settings = QueueSettingsMapper.ToDocument(queueId, settings, state.Settings),
                settingsETag = QueueSettingsMapper.ETagOf(state.Settings),
                lastRebalance = lastRun is null ? null : new { completedAt = lastRun.CompletedAt, ageSeconds = Math.Round((now - lastRun.CompletedAt).TotalSeconds, 1) },
            });
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Storage unavailable; dashboard of {QueueId} not read", queueId);
            return Problems.StorageUnavailable();
        }
    }

    /// <summary>
    /// Today's day-ahead forecast per interval beside the counts observed so far, from the queue's forecaster state;
    /// null when the queue has no forecast yet.
    /// </summary>
    internal static IReadOnlyList<object>? Arrivals(ArrivalForecastState? state, DateTimeOffset now)
    {
        if (state is null || state.IntervalSeconds <= 0 || state.SlotCount == 0)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (state.CurrentDate is { } current && current > today)
        {
            return null;
        }

        var forecast = new ArrivalForecaster(state.Clone()).ForecastDay(today);
        var actual = state.CurrentDate == today ? state.CurrentDayCalls : [];
        return forecast.Select((f, j) => (object)new
        {
            intervalStart = f.IntervalStart,
            forecast = Math.Round(f.Mean, 2),
            lower = Math.Round(f.Lower, 2),
            upper = Math.Round(f.Upper, 2),
            actual = j < actual.Length ? actual[j] : null,
        }).ToList();
    }
}
