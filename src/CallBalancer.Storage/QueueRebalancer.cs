using CallBalancer.Core.Balancing;
using Polly;
using Polly.Retry;

namespace CallBalancer.Storage;

/// <summary>
/// One queue's rebalance as a unit of work: read the latest snapshot and the recorded modes, let the core policy
/// decide, write only the changed agents with ETag conditions, and log the decision. When a write loses a race
/// (412/409) the whole unit is re-read and re-decided, as a Polly retry around it. Each attempt stamps a fresh
/// write id on its entities, so an attempt that finds its own write id already stored knows its write committed
/// (the SDK's transport retry can turn a committed write into a spurious 412: azure-sdk-for-net#39146).
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

    /// <summary>Creates the unit of work.</summary>
    public QueueRebalancer(
        SnapshotStore snapshots,
        AgentModeStore modes,
        DecisionStore decisions,
        IQueueSettingsSource settings,
        ModePolicy policy,
        TimeProvider time,
        RebalanceRetryOptions? retry = null,
        IForecastSource? forecasts = null)
    {
        _forecasts = forecasts;
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

    /// <summary>Decides and persists one queue; returns the decision that is in force afterwards.</summary>
    public async Task<ModeDecision> RebalanceAsync(string queueId, CancellationToken cancellationToken = default)
    {
        var settings = await _settings.GetAsync(queueId, cancellationToken);
        var forecast = _forecasts is null ? null : await _forecasts.GetUpcomingAsync(queueId, cancellationToken);
        ModeDecision? lastAttempt = null;
        string? lastWriteId = null;

        return await _conflictRetry.ExecuteAsync(async ct =>
        {
            var snapshot = await _snapshots.GetLatestAsync(queueId, ct);
            var stored = await _modes.GetQueueModesAsync(queueId, ct);
            if (lastAttempt is not null)
            {
                var mine = stored.Where(s => s.WriteId == lastWriteId).Select(s => s.State.AgentId).ToHashSet(StringComparer.Ordinal);
                if (mine.Count > 0)
                {
                    // The previous attempt committed at least in part: its decision took effect, so it is logged.
                    await _decisions.AppendAsync(lastAttempt, ct);
                    if (lastAttempt.Changes.All(c => mine.Contains(c.AgentId)))
                    {
                        return lastAttempt;
                    }
                }
            }

            var input = new RebalanceInput(snapshot, stored.Select(s => s.State).ToList(), settings, _time.GetUtcNow())
            {
                Forecast = forecast,
            };
            var decision = _policy.Decide(input);
            if (!decision.HasChanges)
            {
                return decision;
            }

            lastAttempt = decision;
            lastWriteId = Guid.NewGuid().ToString("N");
            var readState = stored.ToDictionary(s => s.State.AgentId, StringComparer.Ordinal);
            await _modes.ApplyAsync(decision, readState, lastWriteId, ct);
            await _decisions.AppendAsync(decision, ct);
            return decision;
        }, cancellationToken);
    }
}
