using System.Text.Json;
using Azure.Core;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Forecasting;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions;
using CallBalancer.Functions.Supervision;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Console;

public sealed class DashboardSummaryTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private DashboardSummaryFunction Function(CallBalancerTables tables) => Function(tables, Time);

    internal static DashboardSummaryFunction Function(CallBalancerTables tables, TimeProvider time) => new(
        new SnapshotStore(tables), new AgentModeStore(tables), new DecisionStore(tables, time), new SupervisionStore(tables), new RunStore(tables),
        new ForecastStore(tables), new IntervalStore(tables, new TelephonyOptions()), Microsoft.Extensions.Options.Options.Create(new BalancingOptions()),
        Microsoft.Extensions.Options.Options.Create(new TelephonyOptions()), SupervisorRequests.DevAuth(), time,
        NullLogger<DashboardSummaryFunction>.Instance);

    [Fact]
    public async Task One_refresh_shows_the_queue_and_costs_at_most_one_request_per_table()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 5) with { WaitingCalls = 1, OldestWaitSeconds = 4 });
        await Rebalancer().RebalanceAsync("cards");
        await new SupervisionStore(Tables).SetOverrideAsync(
            new Core.Supervision.ModeOverride("agent:cards-agent0001", "cards", Core.Supervision.OverrideScope.Agent, "cards-agent0001", AgentMode.ServiceOnly,
                null, "coaching", "sue", Time.GetUtcNow()), "coaching");

        var log = new TableRequestLog();
        var counted = new CallBalancerTables(Options, o => o.AddPolicy(log, HttpPipelinePosition.PerCall));
        var function = Function(counted);
        await function.RunAsync(SupervisorRequests.Get(), "cards"); // the first call of a process creates the tables it uses
        log.Clear();

        var result = await function.RunAsync(SupervisorRequests.Get(), "cards");
        Assert.Equal(200, Requests.Status(result));
        Assert.All(log.Requests, r => Assert.Equal("GET", r.Method));
        Assert.All(log.Requests.GroupBy(r => r.Table), g => Assert.True(g.Count() == 1, $"{g.Key}: {g.Count()} requests"));
        Assert.InRange(log.Requests.Count, 6, 9);

        var body = Requests.Body(result);
        Assert.Equal(1, body.GetProperty("snapshot").GetProperty("waitingCalls").GetInt32());
        var agents = body.GetProperty("agents");
        Assert.Equal(5, agents.GetProperty("list").GetArrayLength());
        Assert.Equal(5, agents.GetProperty("serviceOnly").GetInt32() + agents.GetProperty("crossSell").GetInt32());
        var decision = body.GetProperty("recentDecisions")[0];
        Assert.False(string.IsNullOrEmpty(decision.GetProperty("explanation").GetString()));
        Assert.Equal("service-only", agents.GetProperty("list").EnumerateArray().Single(a => a.GetProperty("agentId").GetString() == "cards-agent0001").GetProperty("forced").GetString());
        Assert.Equal("agent:cards-agent0001", body.GetProperty("overrides")[0].GetProperty("id").GetString());
        Assert.Equal("\"defaults\"", body.GetProperty("settingsETag").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("serviceLevel").GetProperty("value").ValueKind); // no call events yet
        Assert.Equal(JsonValueKind.Null, body.GetProperty("serviceLevel").GetProperty("offerHoldGuard").ValueKind);
    }

    [Fact]
    public async Task While_the_queue_fails_safe_the_cards_count_cross_sell_as_the_desktops_show_it()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        await new RebalanceService(Snapshots, Rebalancer(), Runs, Time).RunAsync();

        var live = Requests.Body(await Function(Tables).RunAsync(SupervisorRequests.Get(), "cards"));
        var liveAgents = live.GetProperty("agents");
        var recorded = liveAgents.GetProperty("crossSell").GetInt32();
        Assert.True(recorded > 0);
        Assert.Equal(recorded, liveAgents.GetProperty("crossSellOnDesktops").GetInt32());
        Assert.All(liveAgents.GetProperty("list").EnumerateArray(), a => Assert.Equal(a.GetProperty("mode").GetString(), a.GetProperty("desktopMode").GetString()));

        // The balancer stops: after the stale limit every desktop reads service-only, and the dashboard says so.
        Time.Advance(TimeSpan.FromSeconds(new BalancingOptions().StaleRebalanceSeconds + 1));
        var stopped = Requests.Body(await Function(Tables).RunAsync(SupervisorRequests.Get(), "cards"));
        var agents = stopped.GetProperty("agents");
        Assert.Contains("fail safe", stopped.GetProperty("failSafe").GetString(), StringComparison.Ordinal);
        Assert.Equal((recorded, 0), (agents.GetProperty("crossSell").GetInt32(), agents.GetProperty("crossSellOnDesktops").GetInt32()));
        Assert.All(agents.GetProperty("list").EnumerateArray(), a => Assert.Equal("service-only", a.GetProperty("desktopMode").GetString()));
    }

    [Fact]
    public async Task Forecast_against_actual_arrivals_comes_from_the_forecaster_state()
    {
        // Two weeks of a flat 10 calls per half-hour from 08:00 to 12:00, then today's first two intervals observed.
        var forecaster = new ArrivalForecaster(TimeSpan.FromMinutes(30));
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        for (var d = -14; d <= 0; d++)
        {
            for (var slot = 16; slot < 24 && (d < 0 || slot < 18); slot++)
            {
                forecaster.Observe(today.AddDays(d).ToDateTime(TimeOnly.MinValue).AddMinutes(30 * slot), d == 0 ? 12 : 10);
            }
        }

        await new ForecastStore(Tables).SaveAsync("cards", forecaster.State, null);
        var arrivals = Requests.Body(await Function(Tables).RunAsync(SupervisorRequests.Get(), "cards")).GetProperty("arrivals");
        Assert.Equal(8, arrivals.GetArrayLength());
        Assert.Equal(12, arrivals[0].GetProperty("actual").GetDouble());
        Assert.Equal(JsonValueKind.Null, arrivals[2].GetProperty("actual").ValueKind);
        Assert.InRange(arrivals[3].GetProperty("forecast").GetDouble(), 9, 11);
    }

    [Fact]
    public async Task Service_level_this_half_hour_and_actual_arrivals_come_from_telephony_intervals()
    {
        // 10:00-10:30: five calls arrived; three answered within the target, one late, one abandoned. 09:45: two arrived.
        var at = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(20));
        static (TelephonyEvent, IntervalCounts) E(string id, DateTimeOffset when, IntervalCounts counts) =>
            (new TelephonyEvent(id, TelephonyEventKind.CallAnswered, when, "cards") { CallId = id }, counts);
        await new IntervalStore(Tables, new TelephonyOptions()).RecordAsync(
        [
            E("arr", at.AddMinutes(1), new IntervalCounts(5, 0, 0, 0, 0, 0, 0, 0)),
            E("ok", at.AddMinutes(2), new IntervalCounts(0, 3, 0, 3, 3, 30, 0, 0)),
            E("late", at.AddMinutes(16), new IntervalCounts(0, 1, 0, 1, 0, 45, 0, 0)),
            E("gone", at.AddMinutes(17), new IntervalCounts(0, 0, 1, 0, 0, 0, 0, 0)),
            E("early", at.AddMinutes(-10), new IntervalCounts(2, 0, 0, 0, 0, 0, 0, 0)),
        ]);

        var body = Requests.Body(await Function(Tables).RunAsync(SupervisorRequests.Get(), "cards"));
        var sl = body.GetProperty("serviceLevel");
        Assert.Equal(0.6, sl.GetProperty("value").GetDouble(), 6);
        Assert.Equal((3, 4, 1), (sl.GetProperty("answeredWithinTarget").GetInt32(), sl.GetProperty("answered").GetInt32(), sl.GetProperty("abandoned").GetInt32()));
        Assert.Contains("3 of 5 calls", sl.GetProperty("offerHoldGuard").GetString(), StringComparison.Ordinal); // 60%: offers held
        var arrivals = body.GetProperty("arrivals").EnumerateArray().ToList();
        Assert.Equal(5, arrivals[^1].GetProperty("actual").GetDouble() + arrivals[^2].GetProperty("actual").GetDouble());
        Assert.Equal(2, arrivals[^3].GetProperty("actual").GetDouble());
        Assert.Equal(7, arrivals.Sum(a => a.GetProperty("actual").GetDouble()));
    }

    [Fact]
    public async Task The_dashboard_needs_the_supervisor_role() =>
        Assert.Equal(401, Requests.Status(await Function(Tables).RunAsync(SupervisorRequests.Get(role: null), "cards")));
}
