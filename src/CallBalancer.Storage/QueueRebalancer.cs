using Azure;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;
using Polly;
using Polly.Retry;

namespace CallBalancer.Storage;

/// <summary>
/// One queue's rebalance as a unit of work: read the latest snapshot and the recorded modes, let the core policy
/// decide, write only the changed agents with ETag conditions, and log the decision. When a write loses a race
/// (412/409) the whole unit is re-read and re-decided, as a Polly retry around it. Each attempt stamps a fresh
/// write id on its entities, so an attempt that finds its own write id already stored knows its write committed
/// (the SDK's transport retry can turn a committed write into a spurious 412: azure-sdk-for-net#39146). The log record
/// also rides in the decision's first mode transaction as an outbox row (<see cref="DecisionOutbox"/>), so a run that
/// dies between its mode write and its log write is logged by a later run of the queue.
/// </summary>
public sealed class QueueRebalancer
{
    private readonly SnapshotStore _snapshots;
    private readonly AgentModeStore _modes;
    private readonly DecisionStore _decisions;
    private readonly IQueueSettingsSource _settings;
    private readonly ModePolicy _policy;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _conflictRetry;
    private readonly IForecastSource? _forecasts;
    private readonly IQueueSupervisionSource? _supervision;
    private readonly QueueDayCache? _day;

    /// <summary>Creates the unit of work.</summary>
    public QueueRebalancer(
        SnapshotStore snapshots,
        AgentModeStore modes,
        DecisionStore decisions,
        IQueueSettingsSource settings,
        ModePolicy policy,
        TimeProvider time,
        RebalanceRetryOptions? retry = null,
        IForecastSource? forecasts = null,
        IQueueSupervisionSource? supervision = null,
        QueueDayCache? day = null)
    {
        _day = day;
        _forecasts = forecasts;
        _supervision = supervision;
        _snapshots = snapshots;
        _modes = modes;
        _decisions = decisions;
        _settings = settings;
        _policy = policy;
        _time = time;
        retry ??= new RebalanceRetryOptions();
        _conflictRetry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ModeConflictException>(),
                MaxRetryAttempts = retry.MaxAttempts,
                Delay = retry.Delay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    /// <summary>
    /// The local day so far for the day's room (<see cref="DayRoom"/>): read only for a queue with a forecast and the room
    /// on. It is not a safety input: a failed read leaves no room (the goal stays the target plus the margin), and the
    /// queue is not counted as failed for it.
    /// </summary>
    private async Task<DaySoFar> DaySoFarAsync(
        string queueId, IReadOnlyList<ForecastInterval>? forecast, QueueSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        if (_day is null || forecast is not { Count: > 0 } || settings.DayRoomAboveWorst >= 1)
        {
            return default;
        }

        try
        {
            return await _day.GetAsync(queueId, now, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            return default;
        }
    }

    /// <summary>Decides and persists one queue; returns the decision that is in force afterwards.</summary>
    public async Task<ModeDecision> RebalanceAsync(string queueId, CancellationToken cancellationToken = default)
    {
        ModeDecision? lastAttempt = null;
        string? lastWriteId = null;
        IReadOnlyCollection<string> lastCommitted = [];

        return await _conflictRetry.ExecuteAsync(async ct =>
        {
            // Everything the decision rests on is read again on every attempt: an attempt that lost a race must not
            // re-decide with a supervisor's overrides or settings from before the race (they may be what it lost to).
            // The settings, forecast and overrides are read apart: when one cannot be read, an emergency (or a stale
            // snapshot) must still send everyone back to service at once, not after the 2-minute fail-safe.
            Exception? unreadable = null;
            async Task<T> ReadAsync<T>(Func<Task<T>> read, T fallback)
            {
                try
                {
                    return await read();
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    unreadable ??= ex;
                    return fallback;
                }
            }

            var settings = await ReadAsync(() => _settings.GetAsync(queueId, ct), _settings.Defaults);
            var forecast = _forecasts is null ? null : await ReadAsync(() => _forecasts.GetUpcomingAsync(queueId, ct), (IReadOnlyList<ForecastInterval>?)null);
            var supervision = _supervision is null ? QueueSupervision.None : await ReadAsync(() => _supervision.GetAsync(queueId, ct), QueueSupervision.None);
            var snapshot = await _snapshots.GetLatestAsync(queueId, ct);
            var (stored, outbox) = await _modes.GetQueueAsync(queueId, ct);
            var finished = false;
            if (lastAttempt is not null)
            {
                // What the previous attempt wrote: the transactions it saw commit, and any agent still carrying its
                // write id (a transaction whose answer was lost, so the SDK's retry met a spurious 412).
                var mine = stored.Where(s => s.WriteId == lastWriteId).Select(s => s.State.AgentId).ToHashSet(StringComparer.Ordinal);
                var committed = new HashSet<string>(mine.Concat(lastCommitted), StringComparer.Ordinal);
                if (committed.Count > 0)
                {
                    // Those changes took effect, so they are logged; the ones that never landed are not (another
                    // run wrote those agents and logs them itself).
                    await _decisions.AppendAsync(OnlyChanges(lastAttempt, committed), ct);
                    finished = lastAttempt.Changes.All(c => mine.Contains(c.AgentId));
                }
            }

            await RecoverOutboxAsync(queueId, outbox, lastAttempt?.DecisionId, ct);
            if (finished)
            {
                return lastAttempt!;
            }

            // Supervisor overrides (forced agents, a frozen queue, closed cross-sell windows) go to the policy, which
            // honours them; the decision then names them, so the log shows a supervisor's hand.
            var now = _time.GetUtcNow();
            var overrides = ModeOverrides.Resolve(supervision.Overrides, supervision.Settings?.Settings,
                stored.Select(s => s.State.AgentId).Concat(snapshot?.Agents.Select(a => a.AgentId) ?? []), now);
            var current = stored.Select(s => s.State).ToList();
            ModeDecision decision;
            if (unreadable is null)
            {
                var day = await DaySoFarAsync(queueId, forecast, settings, now, ct);
                decision = overrides.Decide(
                    new RebalanceInput(snapshot, current, settings, now) { Forecast = forecast, DaySoFar = day.Counts, DayWorstHalfHour = day.WorstHalfHour },
                    i => _policy.Decide(i));
            }
            else
            {
                // Decided on the snapshot and the configured defaults alone, without forecast or overrides: applied only
                // when it sends everyone to service. Anything else waits, and the queue counts as failed (its streak
                // of failures makes it fail safe after 2 minutes), as a blip must not flip modes.
                var fallback = _policy.Decide(new RebalanceInput(snapshot, current, _settings.Defaults, now));
                if (!ModePolicy.IsAllServiceOnlyRule(fallback.Rule))
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(unreadable).Throw();
                }

                decision = fallback with
                {
                    Explanation = fallback.Explanation + $" (The queue's settings, forecast or overrides could not be read: {unreadable.GetType().Name}; decided on the configured defaults.)",
                };
            }

            // Who the snapshot has staffed (nobody without one): recorded on the rows, so a shared agent's desktop is
            // answered from the queues it is in (SharedAgentMode).
            var staffed = snapshot?.Agents.Where(a => a.State.IsStaffed()).Select(a => a.AgentId).ToHashSet(StringComparer.Ordinal)
                ?? new HashSet<string>(StringComparer.Ordinal);
            if (!decision.HasChanges)
            {
                await _modes.SyncStaffedAsync(queueId, stored, staffed, new HashSet<string>(StringComparer.Ordinal), ct);
                return decision;
            }

            lastAttempt = decision;
            lastWriteId = Guid.NewGuid().ToString("N");
            lastCommitted = [];
            var readState = stored.ToDictionary(s => s.State.AgentId, StringComparer.Ordinal);
            try
            {
                await _modes.ApplyAsync(decision, readState, lastWriteId, staffed, ct);
            }
            catch (ModeConflictException ex)
            {
                lastCommitted = ex.CommittedAgentIds;
                throw;
            }

            await _decisions.AppendAsync(decision, ct);
            await DeleteOutboxAsync(queueId, decision.DecisionId, ct);
            await _modes.SyncStaffedAsync(queueId, stored, staffed, decision.Changes.Select(c => c.AgentId).ToHashSet(StringComparer.Ordinal), ct);
            return decision;
        }, cancellationToken);
    }

    /// <summary>
    /// The outbox rows of the queue's partition (<see cref="DecisionOutbox"/>): this run's own previous attempt, whose
    /// record was just logged, is cleared; a row older than <see cref="DecisionOutbox.RecoverAfter"/> belongs to a
    /// writer that died between its mode write and its log write, so its record is logged with the changes it wrote and
    /// the row is cleared. Younger rows of other runs are left to them. Recovery never fails the run: a row whose record
    /// cannot be appended now stays for the next run.
    /// </summary>
    private async Task RecoverOutboxAsync(
        string queueId, IReadOnlyList<PendingDecisionLog> outbox, string? ownDecisionId, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        foreach (var pending in outbox)
        {
            if (pending.DecisionId == ownDecisionId)
            {
                await DeleteOutboxAsync(queueId, pending.DecisionId, ct);
            }
            else if (now - pending.DecidedAt >= DecisionOutbox.RecoverAfter)
            {
                try
                {
                    await _decisions.AppendAsync(DecisionOutbox.ToLogEntity(pending, now), pending.DecidedAt, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    // The log is unreachable (a status code, or a connection reset or time-out the SDK gave up on, which
                    // is no RequestFailedException): the row stays for a later run. This run still decides, so an
                    // emergency is not held up by a record of the past.
                    continue;
                }

                await DeleteOutboxAsync(queueId, pending.DecisionId, ct);
            }
        }
    }

    /// <summary>
    /// Clears a logged decision's outbox row. A failure to clear it is not the run's failure: the record is logged,
    /// and a later run that finds the row recovers it again (the log keeps the first record) and clears it.
    /// </summary>
    private async Task DeleteOutboxAsync(string queueId, string decisionId, CancellationToken ct)
    {
        try
        {
            await _modes.DeleteOutboxAsync(queueId, decisionId, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
        }
    }

    /// <summary>The decision with only the given agents' changes (the others are marked unchanged: they were not written).</summary>
    private static ModeDecision OnlyChanges(ModeDecision decision, IReadOnlySet<string> agentIds) =>
        decision with { Agents = decision.Agents.Select(a => a.Changed && !agentIds.Contains(a.AgentId) ? a with { Changed = false } : a).ToList() };
}
