using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class OfferHoldCacheTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private sealed class FixedForecast(double callsPer5Min) : IForecastSource
    {
        public DateTimeOffset From { get; init; }

        public Task<IReadOnlyList<ForecastInterval>?> GetUpcomingAsync(string queueId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ForecastInterval>?>(Enumerable.Range(-1, 8)
                .Select(k => new ForecastInterval(From.AddSeconds(300 * k), 300, callsPer5Min, callsPer5Min * 1.15))
                .ToList());
    }

    private QueueSnapshot Queue(string queueId, int agents, int onCall) =>
        new(queueId, Time.GetUtcNow().AddSeconds(-2), 0, 0,
            Enumerable.Range(0, agents)
                .Select(i => new AgentPresence($"{queueId}-agent{i:D4}", i < onCall ? AgentState.OnCall : AgentState.Available))
                .ToList());

    // The real-time load guard is off so that the forecast alone says how quiet the queue is: with it, 58 busy agents
    // would themselves be read as a load of about 1,000 calls/h.
    private static readonly QueueSettings ForecastOnly = QueueSettings.Default with { RealTimeLoadGuard = false };

    private OfferHoldCache Cache(IForecastSource? forecasts, QueueSettings? settings = null, IntervalStore? intervals = null) =>
        new(Snapshots, new TableQueueSettingsSource(new SupervisionStore(Tables), settings ?? ForecastOnly), Time, forecasts, new ModePolicy(), intervals);

    [Fact]
    public async Task The_guard_reads_the_current_half_hour_from_the_interval_store_and_holds_while_it_runs_below_the_target()
    {
        var options = new TelephonyOptions();
        var intervals = new IntervalStore(Tables, options);
        var halfHour = OfferHold.GuardWindowStart(Time.GetUtcNow());
        Time.SetUtcNow(halfHour.AddMinutes(20)); // inside the half-hour's second 15-minute interval
        var snapshot = Queue("late", 20, 10);
        await Snapshots.SaveLatestAsync(snapshot);

        // Before this half-hour: 30 fast answers, which must not count. In it: 6 within the target in the first
        // interval, 4 after 45 s in the second: 60% so far.
        await IntervalEvents.AnsweredAsync(intervals, options, "late", halfHour.AddMinutes(-5), 30, 3, "before");
        await IntervalEvents.AnsweredAsync(intervals, options, "late", halfHour.AddMinutes(2), 6, 5, "fast");
        await IntervalEvents.AnsweredAsync(intervals, options, "late", halfHour.AddMinutes(16), 4, 45, "slow");

        var (read, settings, counts) = await Cache(null, QueueSettings.Default, intervals).GetAsync("late");
        Assert.Equal(10, counts.AnsweredWithKnownWait);
        Assert.Equal(6, counts.AnsweredWithinTarget);
        var agent = snapshot.Agents[^1].AgentId; // free, with 9 others free: only the guard can hold
        Assert.Null(OfferHold.Reason(read, agent, Time.GetUtcNow(), settings));
        Assert.Contains("6 of 10 calls", OfferHold.Reason(read, agent, Time.GetUtcNow(), settings, counts), StringComparison.Ordinal);

        // Switched off, nothing is read.
        var (_, _, off) = await Cache(null, QueueSettings.Default with { OfferHoldGuardMinCalls = 0 }, intervals).GetAsync("late");
        Assert.True(off.IsZero);

        // The next half-hour starts from nothing: the offer is no longer held.
        Time.SetUtcNow(halfHour.AddMinutes(30).AddSeconds(10));
        await Snapshots.SaveLatestAsync(Queue("late", 20, 10));
        var cache = Cache(null, QueueSettings.Default, intervals);
        var (fresh, freshSettings, next) = await cache.GetAsync("late");
        Assert.True(next.IsZero);
        Assert.Null(OfferHold.Reason(fresh, agent, Time.GetUtcNow(), freshSettings, next));
    }

    [Fact]
    public async Task After_a_bad_half_hour_earlier_in_the_local_day_a_half_hour_going_well_needs_one_free_agent_fewer()
    {
        var options = new TelephonyOptions();
        var intervals = new IntervalStore(Tables, options);
        var now = new DateTimeOffset(2026, 12, 7, 15, 20, 0, TimeSpan.Zero); // 10:20 in New York
        Time.SetUtcNow(now);
        var halfHour = OfferHold.GuardWindowStart(now);

        // Three queues, each with 2 agents free besides the one asking (the full reserve is 3) and a current half-hour
        // of 19 answers within the target in 20 (95%). "bad-morning" had a half-hour at 50% at 08:00 local; "bad-evening"
        // at 22:00 local yesterday (03:00 UTC today: the UTC day, not the centre's); "good-day" none.
        foreach (var queue in new[] { "bad-morning", "bad-evening", "good-day" })
        {
            await Snapshots.SaveLatestAsync(Queue(queue, 20, 18));
            await IntervalEvents.AnsweredAsync(intervals, options, queue, halfHour.AddMinutes(1), 19, 4, queue + "-now-fast");
            await IntervalEvents.AnsweredAsync(intervals, options, queue, halfHour.AddMinutes(2), 1, 40, queue + "-now-slow");
        }

        foreach (var (queue, at) in new[] { ("bad-morning", now.AddHours(-2.3)), ("bad-evening", now.AddHours(-12.3)) })
        {
            await IntervalEvents.AnsweredAsync(intervals, options, queue, at, 10, 4, queue + "-then-fast");
            await IntervalEvents.AnsweredAsync(intervals, options, queue, at.AddSeconds(30), 10, 40, queue + "-then-slow");
        }

        var cache = new OfferHoldCache(Snapshots, new TableQueueSettingsSource(new SupervisionStore(Tables), QueueSettings.Default), Time,
            intervals: intervals, forecastOptions: Microsoft.Extensions.Options.Options.Create(new ForecastOptions { TimeZone = "America/New_York" }));
        async Task<(int Reserve, string? Reason)> Ask(string queue)
        {
            var (snapshot, settings, counts) = await cache.GetAsync(queue);
            return (settings.OfferHoldMinIdleAgents, OfferHold.Reason(snapshot, snapshot!.Agents[0].AgentId, Time.GetUtcNow(), settings, counts));
        }

        Assert.Equal((2, (string?)null), await Ask("bad-morning"));
        var (evening, held) = await Ask("bad-evening");
        Assert.Equal(3, evening);
        Assert.Contains("2 other agent(s) free (at least 3 needed)", held, StringComparison.Ordinal);
        Assert.Equal(3, (await Ask("good-day")).Reserve);

        // Switched off for the queue, the reserve stands.
        var off = new OfferHoldCache(Snapshots,
            new TableQueueSettingsSource(new SupervisionStore(Tables), QueueSettings.Default with { OfferHoldEaseAboveWorst = 1 }), Time, intervals: intervals);
        Assert.Equal(3, (await off.GetAsync("bad-morning")).Settings.OfferHoldMinIdleAgents);
    }

    [Fact]
    public void With_intervals_longer_than_a_half_hour_the_guard_sums_the_stored_interval_that_contains_now()
    {
        var now = new DateTimeOffset(2026, 12, 1, 10, 47, 0, TimeSpan.Zero);
        Assert.Equal((now.AddMinutes(-17), now.AddMinutes(13)), OfferHoldCache.GuardWindow(now, TimeSpan.FromMinutes(15)));
        Assert.Equal((now.AddMinutes(-47), now.AddMinutes(13)), OfferHoldCache.GuardWindow(now, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_quiet_large_queue_gets_the_lower_reserve_the_rebalance_records_and_its_offers_are_no_longer_held()
    {
        // 60 agents, 58 on a call, 600 calls/h of 180 s forecast: quiet by the forecast; two agents free now
        // besides the one asking (on a call), fewer than the full reserve of 3.
        var snapshot = Queue("cards", 60, 58);
        await Snapshots.SaveLatestAsync(snapshot);
        var quiet = new FixedForecast(50) { From = Time.GetUtcNow() };

        var (read, settings, _) = await Cache(quiet).GetAsync("cards");
        var (_, plain, _) = await Cache(forecasts: null).GetAsync("cards");

        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, plain.OfferHoldMinIdleAgents);
        Assert.Equal(QueueSettings.Default.OfferHoldQuietMinIdleAgents, settings.OfferHoldMinIdleAgents);
        var agent = snapshot.Agents[0].AgentId;
        Assert.NotNull(OfferHold.Reason(read, agent, Time.GetUtcNow(), plain));
        Assert.Null(OfferHold.Reason(read, agent, Time.GetUtcNow(), settings));

        // The rebalance on the same snapshot, forecast and settings records the same reserve with its decision.
        var rebalancer = new QueueRebalancer(Snapshots, Modes, Decisions, new DefaultQueueSettingsSource(ForecastOnly), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 }, quiet);
        var decision = await rebalancer.RebalanceAsync("cards");
        Assert.Equal(settings.OfferHoldMinIdleAgents, decision.OfferHoldMinIdleAgents);
        var logged = await Decisions.ListRecentAsync("cards", 1);
        Assert.Equal(settings.OfferHoldMinIdleAgents, logged[0].Inputs["offerHoldMinIdleAgents"]);
    }

    [Fact]
    public async Task A_busy_queue_or_one_without_a_snapshot_keeps_the_full_reserve()
    {
        await Snapshots.SaveLatestAsync(Queue("busy", 60, 55));
        var (_, busy, _) = await Cache(new FixedForecast(92) { From = Time.GetUtcNow() }).GetAsync("busy");
        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, busy.OfferHoldMinIdleAgents);

        // The same 55 busy agents under a quiet forecast, with the real-time guard on (the default): they are the load.
        var (_, guarded, _) = await Cache(new FixedForecast(50) { From = Time.GetUtcNow() }, QueueSettings.Default).GetAsync("busy");
        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, guarded.OfferHoldMinIdleAgents);

        var (none, settings, _) = await Cache(new FixedForecast(50) { From = Time.GetUtcNow() }).GetAsync("no-snapshot");
        Assert.Null(none);
        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, settings.OfferHoldMinIdleAgents);
    }
}
