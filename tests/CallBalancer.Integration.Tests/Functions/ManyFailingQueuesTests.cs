using CallBalancer.Core.Balancing;
using CallBalancer.Functions;
using CallBalancer.Functions.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Functions;

/// <summary>
/// The per-queue fail-safe when a shared fault fails many queues at once, on the strict store (which refuses a string
/// property over 64 KiB, as Azure does): the failing-queues row held fewer than 290 queues in one property, its write
/// was refused and swallowed, and every desktop kept cross-selling for as long as the fault lasted.
/// </summary>
public sealed class ManyFailingQueuesTests() : BackendTestBase(new StrictBackend())
{
    private AgentModeFunction ModeFunction() => new(new AgentModeStore(Tables), new LastRebalanceCache(new RunStore(Tables), Time),
        Microsoft.Extensions.Options.Options.Create(new BalancingOptions()), Time, NullLogger<AgentModeFunction>.Instance);

    private async Task<(string Mode, bool FailSafe, string Reason)> ModeAsync(string agentId)
    {
        var body = Requests.Body(await ModeFunction().RunAsync(Requests.Get(), agentId));
        return (body.GetProperty("mode").GetString()!, body.GetProperty("failSafe").GetBoolean(), body.GetProperty("reason").GetString()!);
    }

    private RebalanceService Service(BreakableQueueSettings settings, RunStore runs) => new(Snapshots,
        new QueueRebalancer(Snapshots, Modes, Decisions, settings, new ModePolicy(), Time, new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 2 }),
        runs, Time);

    [Theory]
    [InlineData(100)]
    [InlineData(400)]
    public async Task Every_queue_of_a_shared_fault_fails_safe_however_many_there_are(int queueCount)
    {
        var settings = new BreakableQueueSettings();
        var service = Service(settings, Runs);
        await Snapshots.SaveLatestAsync(QuietSnapshot("queue-0000", 6));
        await service.RunQueuesAsync(["queue-0000"]);
        Assert.Equal("cross-sell", (await ModeAsync("queue-0000-agent0000")).Mode);

        settings.Broken = true;
        var queues = Enumerable.Range(0, queueCount).Select(i => $"queue-{i:D4}").ToList();
        for (var i = 0; i < 10; i++)
        {
            // Fresh quiet snapshots: nothing that would send the queues to service on the snapshot alone.
            Time.Advance(TimeSpan.FromSeconds(15));
            foreach (var q in queues)
            {
                await Snapshots.SaveLatestAsync(QuietSnapshot(q, 6));
            }

            Assert.Equal(queueCount, (await service.RunQueuesAsync(queues)).Failures);
        }

        Time.Advance(LastRebalanceCache.FreshFor);
        var (mode, failSafe, reason) = await ModeAsync("queue-0000-agent0000");
        Assert.Equal(("service-only", true), (mode, failSafe));
        Assert.Contains("'queue-0000'", reason, StringComparison.Ordinal);
        Assert.Equal(queueCount, (await Runs.GetFailingQueuesAsync()).Count);
    }

    [Fact]
    public async Task A_run_that_cannot_record_its_failing_queues_is_not_recorded_as_completed_so_the_balancer_fails_safe()
    {
        var settings = new BreakableQueueSettings();
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        await Service(settings, Runs).RunQueuesAsync(["cards"]);
        Assert.Equal("cross-sell", (await ModeAsync("cards-agent0000")).Mode);

        // Every request for the failing-queues row fails, and the queue keeps failing.
        settings.Broken = true;
        var runs = new RunStore(Client(o => o.AddPolicy(new FailingRequests("'failing'"), Azure.Core.HttpPipelinePosition.PerCall)));
        for (var i = 0; i < 10; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(15));
            await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
            Assert.Equal(1, (await Service(settings, runs).RunQueuesAsync(["cards"])).Failures);
        }

        Time.Advance(LastRebalanceCache.FreshFor);
        var (mode, failSafe, reason) = await ModeAsync("cards-agent0000");
        Assert.Equal(("service-only", true), (mode, failSafe));
        Assert.Contains("has not completed a rebalance", reason, StringComparison.Ordinal);
    }
}
