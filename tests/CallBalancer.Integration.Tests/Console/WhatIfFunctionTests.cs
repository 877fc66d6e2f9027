using System.Diagnostics;
using CallBalancer.Functions;
using CallBalancer.Functions.Supervision;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>The what-if panel's endpoint on a real day of the 1999 bank (from <c>../shared/data</c>).</summary>
public sealed class WhatIfFunctionTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output) : StorageTestBase(azurite)
{
    private WhatIfFunction Function(string? dataPath)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new WhatIfOptions { DataPath = dataPath });
        return new WhatIfFunction(new SupervisionStore(Tables),
            new WhatIfTraffic(options, new IntervalStore(Tables, new TelephonyOptions()), new TelephonyOptions(), new ForecastOptions()), options,
            Microsoft.Extensions.Options.Options.Create(new BalancingOptions()), Microsoft.Extensions.Options.Options.Create(new TelephonyOptions()),
            SupervisorRequests.DevAuth(), NullLogger<WhatIfFunction>.Instance);
    }

    [Fact]
    public async Task A_stricter_proposal_on_a_real_day_makes_fewer_cross_sell_calls_on_the_same_traffic()
    {
        var data = WhatIfData.Directory();
        Assert.True(data is not null, "../shared/data (beside the repository) holds the real traffic the what-if replays");
        var function = Function(data);
        var stopwatch = Stopwatch.StartNew();
        var result = await function.RunAsync(SupervisorRequests.Json(
            $$$"""{"day":"{{{WhatIfData.SampleDay}}}","settings":{"serviceLevelTarget":0.95,"crossSellOnMargin":0.04,"crossSellOffMargin":0.02}}""", "POST"), "cards");
        var elapsed = stopwatch.Elapsed;
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        var current = body.GetProperty("current");
        var proposed = body.GetProperty("proposed");
        Assert.True(body.GetProperty("offeredCalls").GetInt32() > 500);
        Assert.True(proposed.GetProperty("crossSellCalls").GetInt32() < current.GetProperty("crossSellCalls").GetInt32(),
            $"current {current}, proposed {proposed}");
        Assert.InRange(current.GetProperty("serviceLevel").GetDouble(), 0, 1);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"{elapsed.TotalSeconds:0.00} s including the first load of the data");

        // Warm (data loaded once per process): what a supervisor waits for on each later click.
        stopwatch.Restart();
        var again = await function.RunAsync(SupervisorRequests.Json($$$"""{"day":"{{{WhatIfData.SampleDay}}}","settings":{"serviceLevelTarget":0.9}}""", "POST"), "cards");
        Assert.Equal(200, Requests.Status(again));
        output.WriteLine($"what-if cold {elapsed.TotalSeconds:0.000} s, warm {stopwatch.Elapsed.TotalSeconds:0.000} s; current {current}; proposed {proposed}");
    }

    [Fact]
    public async Task A_proposed_cross_sell_window_holds_the_simulated_day_as_it_would_hold_the_queue()
    {
        // The sample day is a Wednesday: a Monday-only window allows no cross-sell at all, a morning window some. Both
        // used to show the current settings' figures, as the simulator never looked at the windows.
        var data = WhatIfData.Directory();
        Assert.True(data is not null, "../shared/data (beside the repository) holds the real traffic the what-if replays");
        async Task<(int Current, int Proposed)> CrossSellAsync(string windows)
        {
            var result = await Function(data).RunAsync(SupervisorRequests.Json(
                $$$"""{"day":"{{{WhatIfData.SampleDay}}}","settings":{"crossSellWindows":{{{windows}}}}}""", "POST"), "cards");
            Assert.Equal(200, Requests.Status(result));
            var body = Requests.Body(result);
            return (body.GetProperty("current").GetProperty("crossSellCalls").GetInt32(), body.GetProperty("proposed").GetProperty("crossSellCalls").GetInt32());
        }

        var monday = await CrossSellAsync("""[{"days":["monday"],"from":"00:00","to":"24:00"}]""");
        Assert.True(monday.Current > 0);
        Assert.Equal(0, monday.Proposed);

        var morning = await CrossSellAsync("""[{"days":["wednesday"],"from":"07:00","to":"12:00"}]""");
        Assert.InRange(morning.Proposed, 1, morning.Current - 1);
    }

    [Fact]
    public async Task Loosening_the_volume_against_safety_settings_makes_more_cross_sell_calls_on_the_same_traffic()
    {
        var data = WhatIfData.Directory();
        Assert.True(data is not null, "../shared/data (beside the repository) holds the real traffic the what-if replays");
        var result = await Function(data).RunAsync(SupervisorRequests.Json(
            $$$"""{"day":"{{{WhatIfData.SampleDay}}}","settings":{"maxIntervalDrop":0.2,"maxServiceLevelDrop":0.2,"forecastUpperWeight":0}}""", "POST"), "cards");
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        var current = body.GetProperty("current");
        var proposed = body.GetProperty("proposed");
        Assert.True(proposed.GetProperty("crossSellCalls").GetInt32() > current.GetProperty("crossSellCalls").GetInt32(),
            $"current {current}, proposed {proposed}");
        output.WriteLine($"current {current}; proposed {proposed}");

        var bad = await Function(data).RunAsync(SupervisorRequests.Json(
            $$$"""{"day":"{{{WhatIfData.SampleDay}}}","settings":{"maxIntervalDrop":-1,"forecastUpperWeight":9}}""", "POST"), "cards");
        Assert.Equal(400, Requests.Status(bad));
        var errors = Requests.Body(bad).GetProperty("errors");
        Assert.True(errors.TryGetProperty("settings.maxIntervalDrop", out _));
        Assert.True(errors.TryGetProperty("settings.forecastUpperWeight", out _));
    }

    [Fact]
    public async Task A_queue_with_recorded_traffic_is_replayed_on_its_own_calls_and_handle_times()
    {
        // Eight days of the queue's own calls (fake clock: 2026-11-28 10:00 UTC): 12 an hour from 08:00 to 18:00, and
        // the ends of the first 40 calls of each day with a handle time of 240 s.
        var telephony = new TelephonyOptions();
        var ingestor = new TelephonyIngestor(new CallProgressStore(Tables, telephony), new AgentStateStore(Tables), Snapshots,
            new IntervalStore(Tables, telephony), new AgentQueueMonthStore(Tables), telephony);
        var events = new List<Core.Telephony.TelephonyEvent>();
        for (var d = 8; d >= 1; d--)
        {
            var date = Time.GetUtcNow().Date.AddDays(-d);
            for (var k = 0; k < 120; k++)
            {
                var at = new DateTimeOffset(date.AddHours(8).AddSeconds(k * 300), TimeSpan.Zero);
                var id = $"d{d}c{k}";
                events.Add(new(id + "a", Core.Telephony.TelephonyEventKind.CallArrived, at, "cards") { CallId = id });
                if (k < 40)
                {
                    events.Add(new(id + "e", Core.Telephony.TelephonyEventKind.CallEnded, at.AddMinutes(5), "cards") { CallId = id, HandleSeconds = 240 });
                }
            }
        }

        // Yesterday, also 10 answers (6 within 20 s) and 2 abandons of calls that had not ended.
        var yesterdayStart = new DateTimeOffset(Time.GetUtcNow().Date.AddDays(-1).AddHours(8), TimeSpan.Zero);
        for (var k = 50; k < 62; k++)
        {
            var id = $"d1c{k}";
            var arrived = yesterdayStart.AddSeconds(k * 300);
            events.Add(k < 60
                ? new(id + "n", Core.Telephony.TelephonyEventKind.CallAnswered, arrived.AddSeconds(k < 56 ? 10 : 60), "cards") { CallId = id }
                : new(id + "x", Core.Telephony.TelephonyEventKind.CallAbandoned, arrived.AddSeconds(90), "cards") { CallId = id });
        }

        foreach (var batch in events.Chunk(100))
        {
            await ingestor.IngestAsync(batch);
        }

        var yesterday = Time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var function = Function(WhatIfData.Directory());
        var result = await function.RunAsync(SupervisorRequests.Json($$$"""{"day":"{{{yesterday}}}","settings":{"serviceLevelTarget":0.9}}""", "POST"), "cards");
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        Assert.Equal(120, body.GetProperty("offeredCalls").GetInt32());
        var source = body.GetProperty("source").GetString()!;
        Assert.StartsWith("queue cards: recorded arrivals of 8 day(s)", source, StringComparison.Ordinal);
        Assert.Contains("averaging 240 s (this queue's)", source, StringComparison.Ordinal);

        // Beside the simulation, what was recorded that day, counted the simulator's way: 6 within target of 12 ended.
        var recorded = body.GetProperty("recorded");
        Assert.Equal(120, recorded.GetProperty("offeredCalls").GetInt32());
        Assert.Equal(0.5, recorded.GetProperty("serviceLevel").GetDouble());
        Assert.Equal(Math.Round(2 / 120.0, 4), recorded.GetProperty("abandonRate").GetDouble());
        Assert.Equal(240, recorded.GetProperty("averageHandleSeconds").GetDouble());

        // Asked for the reference files instead, the same date is not in them (they hold 1999): 404, or 503 without them.
        var sample = await function.RunAsync(SupervisorRequests.Json($$$"""{"day":"{{{yesterday}}}","source":"sample"}""", "POST"), "cards");
        Assert.Equal(WhatIfData.Directory() is null ? 503 : 404, Requests.Status(sample));

        // The queue's first two recorded days have too little history to plan from (its third has two days before it);
        // a day without calls is 404 when asked for by name.
        foreach (var (daysAgo, status) in new[] { (8, 404), (7, 404), (6, 200) })
        {
            var early = Time.GetUtcNow().AddDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var answer = await function.RunAsync(SupervisorRequests.Json($$$"""{"day":"{{{early}}}","source":"queue"}""", "POST"), "cards");
            Assert.Equal(status, Requests.Status(answer));
            if (status == 404)
            {
                Assert.Contains("at least 2", Requests.Body(answer).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        foreach (var none in new[] { "2026-10-01", "0001-01-01", "9999-12-31" })
        {
            var empty = await function.RunAsync(SupervisorRequests.Json($$$"""{"day":"{{{none}}}","source":"queue"}""", "POST"), "cards");
            Assert.Equal(404, Requests.Status(empty));
        }
        var bad = await function.RunAsync(SupervisorRequests.Json($$$"""{"day":"{{{yesterday}}}","source":"mine"}""", "POST"), "cards");
        Assert.Equal(400, Requests.Status(bad));
        Assert.True(Requests.Body(bad).GetProperty("errors").TryGetProperty("source", out _));
    }

    [Fact]
    public async Task Bad_input_names_its_fields_and_a_day_without_traffic_is_404()
    {
        var data = WhatIfData.Directory();
        Assert.True(data is not null, "../shared/data (beside the repository) holds the real traffic the what-if replays");
        var bad = await Function(data).RunAsync(SupervisorRequests.Json("""{"day":"10/02/1999","settings":{"eligibleShare":2}}""", "POST"), "cards");
        Assert.Equal(400, Requests.Status(bad));
        var errors = Requests.Body(bad).GetProperty("errors");
        Assert.True(errors.TryGetProperty("day", out _));
        Assert.True(errors.TryGetProperty("settings.eligibleShare", out _));
        Assert.Equal(404, Requests.Status(await Function(data).RunAsync(SupervisorRequests.Json("""{"day":"2031-01-01"}""", "POST"), "cards")));
        Assert.Equal(403, Requests.Status(await Function(data).RunAsync(SupervisorRequests.Json("""{"day":"1999-02-10"}""", "POST", role: "agent"), "cards")));
    }

    [Fact]
    public async Task Without_traffic_data_the_answer_says_where_to_point_it() =>
        Assert.Equal(503, Requests.Status(await Function("/nonexistent/data").RunAsync(SupervisorRequests.Json("""{"day":"1999-02-10"}""", "POST"), "cards")));
}
