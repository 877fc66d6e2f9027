using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

/// <summary>The live forecast: interval arrivals from telephony events feed the forecaster; the rebalance reads it.</summary>
public sealed class ForecastServiceTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private readonly TelephonyOptions _telephony = new() { IntervalMinutes = 60 };

    private ForecastService Service() =>
        new(new ForecastStore(Tables), new IntervalStore(Tables, _telephony), Snapshots, _telephony, new ForecastOptions { HorizonMinutes = 240 }, Time);

    private async Task ArrivalsAsync(DateTimeOffset hour, int calls)
    {
        var ingestor = new TelephonyIngestor(new CallProgressStore(Tables, _telephony), new AgentStateStore(Tables), Snapshots,
            new IntervalStore(Tables, _telephony), new AgentQueueMonthStore(Tables), _telephony);
        var events = Enumerable.Range(0, calls)
            .Select(i => new TelephonyEvent($"{hour:yyyyMMddHH}-{i}", TelephonyEventKind.CallArrived, hour.AddSeconds(10 + i), "fq") { CallId = $"{hour:yyyyMMddHH}-{i}" })
            .ToList();
        await ingestor.IngestAsync(events);
    }

    [Fact]
    public async Task A_queue_without_history_has_no_forecast_and_one_with_a_day_of_history_has_one()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("fq", 4));
        var service = Service();
        Assert.Null(await service.GetUpcomingAsync("fq"));

        // Day 1 (the test clock's day), 09:00-12:00 UTC: 10, 20, 30 arrivals.
        var day1 = new DateTimeOffset(Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await ArrivalsAsync(day1.AddHours(9), 10);
        await ArrivalsAsync(day1.AddHours(10), 20);
        await ArrivalsAsync(day1.AddHours(11), 30);
        Time.SetUtcNow(day1.AddHours(12).AddMinutes(5));
        await service.RefreshAllAsync();
        Assert.Null(await service.GetUpcomingAsync("fq"));

        // The next morning the first day is closed: the forecaster has a profile and the rebalance gets a forecast.
        Time.SetUtcNow(day1.AddDays(1).AddHours(9).AddMinutes(30));
        await ArrivalsAsync(day1.AddDays(1).AddHours(8), 0);
        await service.RefreshAllAsync();
        var upcoming = await service.GetUpcomingAsync("fq");
        Assert.NotNull(upcoming);
        var first = upcoming![0];
        Assert.Equal(day1.AddDays(1).AddHours(9), first.Start);
        Assert.Equal(3600, first.LengthSeconds);
        Assert.True(first.ExpectedCalls > 0 && first.UpperCalls >= first.ExpectedCalls);
        Assert.True(upcoming.Single(f => f.Start == day1.AddDays(1).AddHours(11)).ExpectedCalls > first.ExpectedCalls, string.Join("; ", upcoming.Select(u => $"{u.Start:HH} {u.ExpectedCalls:0.00} {u.UpperCalls:0.00}")) + " " +
            "the profile keeps the shape of the day it learned (11:00 busier than 09:00)");
    }

    [Fact]
    public async Task A_queue_whose_refresh_fails_does_not_stop_the_others_and_the_run_says_which_failed()
    {
        // "a-bad" sorts first; its saved state is unreadable (arrays that do not match its slot window).
        await Snapshots.SaveLatestAsync(QuietSnapshot("a-bad", 4));
        await Snapshots.SaveLatestAsync(QuietSnapshot("fq", 4));
        var table = await Tables.GetAsync(Tables.Names.Forecasts);
        var bad = new Azure.Data.Tables.TableEntity("a-bad", "state");
        EntityChunks.Write(bad, "State", """{"Version":1,"IntervalSeconds":3600,"FirstSlot":9,"SlotCount":3,"CurrentDayCalls":[1]}""");
        await table.UpsertEntityAsync(bad);
        var day1 = new DateTimeOffset(Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await ArrivalsAsync(day1.AddHours(9), 12);
        Time.SetUtcNow(day1.AddDays(1).AddHours(9).AddMinutes(1));
        await ArrivalsAsync(day1.AddDays(1).AddHours(8), 3);

        var failure = await Assert.ThrowsAsync<AggregateException>(() => Service().RefreshAllAsync());

        Assert.Contains("'a-bad'", Assert.Single(failure.InnerExceptions).Message, StringComparison.Ordinal);
        Assert.NotNull(await Service().GetUpcomingAsync("fq"));
    }

    [Fact]
    public async Task Refreshing_twice_changes_nothing_and_the_rebalancer_passes_the_forecast_to_the_policy()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("fq", 6));
        var day1 = new DateTimeOffset(Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await ArrivalsAsync(day1.AddHours(9), 12);
        Time.SetUtcNow(day1.AddDays(1).AddHours(9).AddMinutes(1));
        await ArrivalsAsync(day1.AddDays(1).AddHours(8), 3);
        var service = Service();
        await service.RefreshAllAsync();
        var once = (await new ForecastStore(Tables).GetAsync("fq"))!.Value.State;
        await service.RefreshAllAsync();
        var twice = (await new ForecastStore(Tables).GetAsync("fq"))!.Value.State;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(once), System.Text.Json.JsonSerializer.Serialize(twice));

        await Snapshots.SaveLatestAsync(QuietSnapshot("fq", 6));
        var rebalancer = new QueueRebalancer(Snapshots, Modes, Decisions, new DefaultQueueSettingsSource(QueueSettings.Default), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero }, service);
        var decision = await rebalancer.RebalanceAsync("fq");
        Assert.NotEqual("idle-reserve", decision.Rule);
        Assert.NotEqual("no-snapshot", decision.Rule);
    }
}
