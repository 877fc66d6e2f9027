using Azure.Core;
using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// Rebalance runs and snapshot posts through a storage client with injected transport faults, lost responses and
/// latency: every operation completes, nothing is lost or duplicated, and the final state is what a fault-free run
/// would leave.
/// </summary>
public sealed class ChaosTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Runs_under_faults_end_in_the_state_a_clean_run_would_leave_with_no_duplicate_or_lost_decision(int seed)
    {
        var chaos = new ChaosPipelinePolicy(seed, faultBeforeRate: 0.1, lostResponseRate: 0.1, latencyRate: 0.1, serverBusyRate: 0.1, timeoutRate: 0.05);
        var chaotic = new CallBalancerTables(Options, o =>
        {
            o.Retry.MaxRetries = 12;
            o.Retry.Delay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
            o.AddPolicy(chaos, HttpPipelinePosition.PerRetry);
        });
        var snapshots = new SnapshotStore(chaotic);
        var decisions = new DecisionStore(chaotic, Time);
        var service = new RebalanceService(
            snapshots,
            new QueueRebalancer(snapshots, new AgentModeStore(chaotic), decisions, new DefaultQueueSettingsSource(QueueSettings.Default),
                new ModePolicy(), Time, new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 }),
            new RunStore(chaotic),
            Time);

        var queues = Enumerable.Range(0, 12).Select(i => $"c{i:D2}").ToList();
        var returnedDecisionIds = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            // Alternate quiet and emergency queues so every round flips agents.
            foreach (var (q, i) in queues.Select((q, i) => (q, i)))
            {
                var emergency = (i + round) % 3 == 0;
                await snapshots.SaveLatestAsync(emergency
                    ? QuietSnapshot(q, 30, waiting: 4, oldestWait: 90, state: AgentState.OnCall)
                    : QuietSnapshot(q, 30));
            }

            var summary = await service.RunAsync(onDecision: d =>
            {
                if (d.HasChanges)
                {
                    lock (returnedDecisionIds)
                    {
                        returnedDecisionIds.Add(d.DecisionId);
                    }
                }
            });
            Assert.Equal(0, summary.Failures);
            Time.Advance(TimeSpan.FromSeconds(15));
        }

        Assert.True(chaos.InjectedBeforeSend > 0 && chaos.InjectedAfterSend > 0 && chaos.InjectedServerBusy > 0 && chaos.InjectedTimeouts > 0,
            "the run must actually have met every kind of fault");

        // Read back through a clean client: the state is consistent and nothing was lost or duplicated.
        var policy = new ModePolicy();
        foreach (var q in queues)
        {
            var snapshot = await Snapshots.GetLatestAsync(q);
            var modes = await Modes.GetQueueModesAsync(q);
            Assert.Equal(30, modes.Count);
            var recheck = policy.Decide(new RebalanceInput(snapshot, modes.Select(m => m.State).ToList(), QueueSettings.Default, Time.GetUtcNow()));
            Assert.False(recheck.HasChanges, $"queue {q} is not where a clean run would leave it");

            var log = await Decisions.ListRecentAsync(q, 100);
            Assert.Equal(log.Count, log.Select(d => d.DecisionId).Distinct().Count());
            Assert.All(modes, m => Assert.Contains(m.State.DecisionId, log.Select(d => d.DecisionId)));
        }

        var logged = new HashSet<string>();
        foreach (var q in queues)
        {
            logged.UnionWith((await Decisions.ListRecentAsync(q, 100)).Select(d => d.DecisionId));
        }

        Assert.All(returnedDecisionIds, id => Assert.Contains(id, logged));
    }
}
