using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

/// <summary>The rebalance reads the local day so far from the interval store on Azurite and plans with its room.</summary>
public sealed class DayRoomRebalanceTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private sealed class NearTargetForecast(DateTimeOffset from) : IForecastSource
    {
        // 3,300 calls/h of 180 s on 160 agents: service-only near the target, so the full goal lets nobody cross-sell.
        public Task<IReadOnlyList<ForecastInterval>?> GetUpcomingAsync(string queueId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ForecastInterval>?>(Enumerable.Range(-1, 8)
                .Select(k => new ForecastInterval(from.AddSeconds(300 * k), 300, 275, 295) { RateCv = 0.04 })
                .ToList());
    }

    private QueueSnapshot Staffed(string queueId) =>
        new(queueId, Time.GetUtcNow().AddSeconds(-2), 0, 0,
            Enumerable.Range(0, 160).Select(i => new AgentPresence($"{queueId}-a{i:D3}", AgentState.Available)).ToList());

    [Fact]
    public async Task A_day_far_above_its_target_after_a_bad_half_hour_lets_the_rebalance_plan_lower_and_the_log_shows_the_day()
    {
        var options = new TelephonyOptions();
        var intervals = new IntervalStore(Tables, options);
        var now = new DateTimeOffset(2026, 12, 7, 15, 20, 0, TimeSpan.Zero); // 10:20 in New York
        Time.SetUtcNow(now);
        var halfHour = OfferHold.GuardWindowStart(now);

        // "roomy": a half-hour at 50% at 08:00 local, then 300 answers within the target at 09:00 (310 of 320 so far:
        // 96.9%); in the current half-hour 50 slow answers, which are not the day's completed half-hours and must not
        // count. "yesterday": the same bad and good half-hours, but 12 hours ago (yesterday evening in New York).
        // "fresh": nothing recorded.
        foreach (var (queue, shift) in new[] { ("roomy", 0.0), ("yesterday", -10.0) })
        {
            await IntervalEvents.AnsweredAsync(intervals, options, queue, now.AddHours(-2.3 + shift), 10, 4, queue + "-bad-fast");
            await IntervalEvents.AnsweredAsync(intervals, options, queue, now.AddHours(-2.3 + shift).AddSeconds(30), 10, 40, queue + "-bad-slow");
            await IntervalEvents.AnsweredAsync(intervals, options, queue, now.AddHours(-1.3 + shift), 300, 4, queue + "-good");
        }

        await IntervalEvents.AnsweredAsync(intervals, options, "roomy", halfHour.AddMinutes(1), 50, 60, "roomy-now-slow");
        var ny = Microsoft.Extensions.Options.Options.Create(new ForecastOptions { TimeZone = "America/New_York" });
        var rebalancer = new QueueRebalancer(Snapshots, Modes, Decisions,
            new DefaultQueueSettingsSource(QueueSettings.Default with { RealTimeLoadGuard = false }), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 }, new NearTargetForecast(now), day: new QueueDayCache(intervals, ny));

        var decisions = new Dictionary<string, ModeDecision>();
        foreach (var queue in new[] { "roomy", "yesterday", "fresh" })
        {
            await Snapshots.SaveLatestAsync(Staffed(queue));
            decisions[queue] = await rebalancer.RebalanceAsync(queue);
        }

        Assert.Equal(0, decisions["fresh"].CrossSellAllowed);
        Assert.Equal(0, decisions["yesterday"].CrossSellAllowed);
        Assert.False(decisions["yesterday"].Inputs.ContainsKey("dayWorstHalfHour"));
        var roomy = decisions["roomy"];
        Assert.True(roomy.CrossSellAllowed > 10, $"{roomy.CrossSellAllowed} may cross-sell");
        Assert.Equal(0.5, roomy.Inputs["dayWorstHalfHour"]);
        Assert.Equal(320, roomy.Inputs["daySoFarResolvedCalls"]);
        Assert.Equal(0.6, roomy.Inputs["dayRoomGoal"], 6);

        // The decision log keeps what the day looked like, so the decision can be explained afterwards.
        var logged = (await Decisions.ListRecentAsync("roomy", 1))[0];
        Assert.Equal(0.5, logged.Inputs["dayWorstHalfHour"]);
        Assert.Contains("leaves room", logged.Explanation, StringComparison.Ordinal);

        // Switched off for the queue, the same day gives nothing (and is not read).
        var off = new QueueRebalancer(Snapshots, Modes, Decisions,
            new DefaultQueueSettingsSource(QueueSettings.Default with { RealTimeLoadGuard = false, DayRoomAboveWorst = 1 }), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 }, new NearTargetForecast(now), day: new QueueDayCache(intervals, ny));
        Time.Advance(TimeSpan.FromMinutes(6)); // past the dwell of the agents just switched on
        await Snapshots.SaveLatestAsync(Staffed("roomy"));
        var offDecision = await off.RebalanceAsync("roomy");
        Assert.Equal("forecast-capacity", offDecision.Rule);
        Assert.Equal(0, offDecision.CrossSellAllowed);
        Assert.False(offDecision.Inputs.ContainsKey("dayWorstHalfHour"));
    }

    [Fact]
    public async Task A_day_that_cannot_be_read_leaves_no_room_the_queue_still_decides_and_the_next_read_tries_again()
    {
        var options = new TelephonyOptions();
        var intervals = new IntervalStore(Tables, options);
        var now = new DateTimeOffset(2026, 12, 7, 15, 20, 0, TimeSpan.Zero);
        Time.SetUtcNow(now);
        await IntervalEvents.AnsweredAsync(intervals, options, "flaky", now.AddHours(-2.3), 10, 4, "bad-fast");
        await IntervalEvents.AnsweredAsync(intervals, options, "flaky", now.AddHours(-2.3).AddSeconds(30), 10, 40, "bad-slow");
        await IntervalEvents.AnsweredAsync(intervals, options, "flaky", now.AddHours(-1.3), 300, 4, "good");

        // The day's reads (their filters name the queue's day partitions) fail with 503 while the switch is on.
        var failing = new FailingRequests("flaky|");
        var unreliable = new IntervalStore(Client(o => o.AddPolicy(failing, Azure.Core.HttpPipelinePosition.PerCall)), options);
        var rebalancer = new QueueRebalancer(Snapshots, Modes, Decisions,
            new DefaultQueueSettingsSource(QueueSettings.Default with { RealTimeLoadGuard = false }), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 }, new NearTargetForecast(now),
            day: new QueueDayCache(unreliable, Microsoft.Extensions.Options.Options.Create(new ForecastOptions { TimeZone = "America/New_York" })));
        await Snapshots.SaveLatestAsync(Staffed("flaky"));

        var blind = await rebalancer.RebalanceAsync("flaky");
        Assert.Equal(0, blind.CrossSellAllowed);
        Assert.Equal(0, blind.Inputs["capacityOn"]); // decided on the forecast, at the full goal
        Assert.Equal(0.83, blind.Inputs["dayRoomGoal"], 6);
        Assert.False(blind.Inputs.ContainsKey("dayWorstHalfHour"));

        // The failure was not cached: once storage answers, the same half-hour's next run reads the day.
        failing.Fail = false;
        var seeing = await rebalancer.RebalanceAsync("flaky");
        Assert.Equal(0.5, seeing.Inputs["dayWorstHalfHour"]);
        Assert.True(seeing.CrossSellAllowed > 10, $"{seeing.CrossSellAllowed} may cross-sell");
    }
}
