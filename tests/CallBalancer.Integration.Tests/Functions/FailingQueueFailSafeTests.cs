using CallBalancer.Core.Balancing;
using CallBalancer.Functions;
using CallBalancer.Functions.Balancing;
using CallBalancer.Integration.Tests.Console;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Functions;

/// <summary>
/// A queue whose rebalance keeps failing while the others succeed (on Azurite). The run completes, so the balancer's
/// own fail-safe (no run for 2 minutes) never fired, and the queue's cross-sellers kept cross-selling whatever its
/// callers did; a supervisor's override could not help either, as overrides are applied by that same rebalance.
/// </summary>
public sealed class FailingQueueFailSafeTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private AgentModeFunction ModeFunction() => new(new AgentModeStore(Tables), new LastRebalanceCache(new RunStore(Tables), Time),
        Microsoft.Extensions.Options.Options.Create(new BalancingOptions()), Time, NullLogger<AgentModeFunction>.Instance);

    private async Task<(string Mode, bool FailSafe, string Reason)> ModeAsync(string agentId)
    {
        var body = Requests.Body(await ModeFunction().RunAsync(Requests.Get(), agentId));
        return (body.GetProperty("mode").GetString()!, body.GetProperty("failSafe").GetBoolean(), body.GetProperty("reason").GetString()!);
    }

    private async Task<(string Mode, bool FailSafe)> StateAsync(string agentId)
    {
        var (mode, failSafe, _) = await ModeAsync(agentId);
        return (mode, failSafe);
    }

    [Fact]
    public async Task A_queue_failing_every_rebalance_for_two_minutes_is_service_only_until_one_succeeds()
    {
        var settings = new BreakableQueueSettings(q => q == "bad");
        var service = new RebalanceService(Snapshots,
            new QueueRebalancer(Snapshots, Modes, Decisions, settings, new ModePolicy(), Time, new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 2 }),
            Runs, Time);
        async Task<RebalanceRunSummary> TickAsync()
        {
            await Snapshots.SaveLatestAsync(QuietSnapshot("bad", 6));
            await Snapshots.SaveLatestAsync(QuietSnapshot("good", 6));
            var run = await service.RunAsync();
            Time.Advance(TimeSpan.FromSeconds(15));
            return run;
        }

        Assert.Equal(0, (await TickAsync()).Failures);
        Assert.Equal(("cross-sell", false), await StateAsync("bad-agent0000"));

        settings.Broken = true;
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(1, (await TickAsync()).Failures); // 15 s to 105 s of failures
        }

        Assert.Equal(("cross-sell", false), await StateAsync("bad-agent0000")); // within the 2 minutes: a blip

        for (var i = 0; i < 2; i++)
        {
            await TickAsync(); // past 2 minutes
        }

        var failing = await ModeAsync("bad-agent0000");
        Assert.Equal(("service-only", true), (failing.Mode, failing.FailSafe));
        Assert.Contains("'bad'", failing.Reason, StringComparison.Ordinal);
        Assert.Equal(("cross-sell", false), await StateAsync("good-agent0000"));

        // The supervisor sees what the desktops are told: the dashboard gives the same reason, the status lists the queue.
        Assert.Equal(failing.Reason, await DashboardFailSafeAsync("bad"));
        Assert.Null(await DashboardFailSafeAsync("good"));
        var listed = Assert.Single((await StatusAsync()).GetProperty("failingQueues").EnumerateArray());
        Assert.Equal(("bad", true), (listed.GetProperty("queueId").GetString(), listed.GetProperty("failSafe").GetBoolean()));

        settings.Broken = false;
        Assert.Equal(0, (await TickAsync()).Failures);
        Assert.Empty(await Runs.GetFailingQueuesAsync());
        Time.Advance(LastRebalanceCache.FreshFor);
        Assert.Equal(("cross-sell", false), await StateAsync("bad-agent0000"));
        Assert.Null(await DashboardFailSafeAsync("bad"));
        Assert.Empty((await StatusAsync()).GetProperty("failingQueues").EnumerateArray());
    }

    /// <summary>Queue 'bad' rebalanced once with readable settings (<paramref name="defaults"/>), so its first agent cross-sells.</summary>
    private async Task<(BreakableQueueSettings Settings, RebalanceService Service)> CrossSellingQueueAsync(QueueSettings? defaults = null)
    {
        var settings = new BreakableQueueSettings(q => q == "bad", defaults);
        var service = new RebalanceService(Snapshots,
            new QueueRebalancer(Snapshots, Modes, Decisions, settings, new ModePolicy(), Time, new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 2 }),
            Runs, Time);
        await Snapshots.SaveLatestAsync(QuietSnapshot("bad", 6));
        await service.RunAsync();
        Assert.Equal(("cross-sell", false), await StateAsync("bad-agent0000"));
        return (settings, service);
    }

    [Fact]
    public async Task An_emergency_in_a_queue_whose_settings_cannot_be_read_sends_everyone_to_service_at_once()
    {
        // Before, the unreadable settings failed the queue before the policy ran, so the emergency waited for the
        // 2-minute fail-safe while its cross-sellers cross-sold.
        var (settings, service) = await CrossSellingQueueAsync();

        settings.Broken = true;
        Time.Advance(TimeSpan.FromSeconds(15));
        await Snapshots.SaveLatestAsync(QuietSnapshot("bad", 6, waiting: 4, oldestWait: 90, state: AgentState.OnCall));
        Assert.Equal(0, (await service.RunAsync()).Failures);

        Assert.All(await Modes.GetQueueModesAsync("bad"), m => Assert.Equal(AgentMode.ServiceOnly, m.State.Mode));
        var logged = (await Decisions.ListRecentAsync("bad", 1))[0];
        Assert.Equal("emergency-wait", logged.Rule);
        Assert.Contains("could not be read", logged.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_emergency_in_a_queue_whose_settings_cannot_be_read_is_judged_by_the_configured_limits()
    {
        // The operator configured an emergency at 3 waiting callers. Before, the fallback decided on the built-in
        // limit of 10, so 4 waiting callers in a queue whose settings could not be read flipped nobody.
        var (settings, service) = await CrossSellingQueueAsync(QueueSettings.Default with { EmergencyQueueLength = 3 });

        settings.Broken = true;
        Time.Advance(TimeSpan.FromSeconds(15));
        await Snapshots.SaveLatestAsync(QuietSnapshot("bad", 6, waiting: 4, oldestWait: 5, state: AgentState.OnCall));
        Assert.True(4 < QueueSettings.Default.EmergencyQueueLength);
        Assert.Equal(0, (await service.RunAsync()).Failures);

        Assert.All(await Modes.GetQueueModesAsync("bad"), m => Assert.Equal(AgentMode.ServiceOnly, m.State.Mode));
        var logged = (await Decisions.ListRecentAsync("bad", 1))[0];
        Assert.Equal("emergency-queue-length", logged.Rule);
        Assert.Contains("limit 3", logged.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streak_shorter_than_the_limit_is_listed_by_the_status_but_fails_nothing_safe()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        await new RebalanceService(Snapshots, Rebalancer(), Runs, Time).RunAsync();
        await Runs.UpdateFailingQueuesAsync(["cards"], [], Time.GetUtcNow().AddSeconds(-30));

        var listed = Assert.Single((await StatusAsync()).GetProperty("failingQueues").EnumerateArray());
        Assert.Equal(("cards", false), (listed.GetProperty("queueId").GetString(), listed.GetProperty("failSafe").GetBoolean()));
        Assert.Null(await DashboardFailSafeAsync("cards"));
    }

    [Fact]
    public async Task A_balancer_with_no_recent_run_shows_its_fail_safe_on_the_dashboard()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        Assert.Contains("has not completed a rebalance", await DashboardFailSafeAsync("cards"), StringComparison.Ordinal); // no run yet
        await new RebalanceService(Snapshots, Rebalancer(), Runs, Time).RunAsync();
        Assert.Null(await DashboardFailSafeAsync("cards"));

        Time.Advance(TimeSpan.FromSeconds(new BalancingOptions().StaleRebalanceSeconds + 1));
        Assert.Contains("has not completed a rebalance", await DashboardFailSafeAsync("cards"), StringComparison.Ordinal);
        Assert.Equal(("service-only", true), await StateAsync("cards-agent0000"));
    }

    private async Task<string?> DashboardFailSafeAsync(string queueId)
    {
        var body = Requests.Body(await DashboardSummaryTests.Function(Tables, Time).RunAsync(SupervisorRequests.Get(), queueId));
        return body.GetProperty("failSafe").GetString();
    }

    private async Task<System.Text.Json.JsonElement> StatusAsync() =>
        Requests.Body(await AgentModeAndStatusFunctionTests.Status(Tables, Time, new StorageRebalanceWorkQueue(Options, "unused")).RunAsync(Requests.Get()))
            .GetProperty("lastRebalance");

    [Fact]
    public async Task A_failure_streak_not_extended_is_forgotten_and_the_row_is_written_only_on_change()
    {
        var t0 = Time.GetUtcNow();
        await Runs.UpdateFailingQueuesAsync(["q1", "q2"], [], t0);
        await Runs.UpdateFailingQueuesAsync(["q1"], [], t0.AddMinutes(1));
        var streaks = await Runs.GetFailingQueuesAsync();
        Assert.Equal(new QueueFailure(t0, t0.AddMinutes(1)), streaks["q1"]);
        Assert.Equal(new QueueFailure(t0, t0), streaks["q2"]);

        await Runs.UpdateFailingQueuesAsync(["q1"], [], t0.AddMinutes(11)); // q2 not extended for 11 minutes
        Assert.Equal(["q1"], (await Runs.GetFailingQueuesAsync()).Keys);
        await Runs.UpdateFailingQueuesAsync([], ["q1"], t0.AddMinutes(12));
        Assert.Empty(await Runs.GetFailingQueuesAsync());
    }
}
