using System.Globalization;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Balancing;
using CallBalancer.Functions.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>
/// Inputs the webhooks used to take that they must refuse, found in a review on 2026-12-03 (on Azurite): each is a 400
/// problem that writes nothing, where it used to be a 500, a partial write, or a stored value the balancer misreads.
/// </summary>
public sealed class InputBoundsTests(AzuriteFixture azurite) : TelephonyTestBase(azurite)
{
    private DateTimeOffset Now => Time.GetUtcNow();

    private static IReadOnlyDictionary<string, string[]> Errors(IActionResult result) =>
        Assert.IsType<ValidationProblemDetails>(Assert.IsAssignableFrom<ObjectResult>(result).Value).Errors.AsReadOnly();

    [Theory]
    [InlineData("[null]")]
    [InlineData("[{}]")]
    [InlineData("[{\"state\":\"available\"}]")]
    public async Task Agents_on_an_event_that_is_not_a_snapshot_are_ignored(string agents)
    {
        // [null] used to reach a null dereference (500): only a snapshot's agents are validated.
        var body = EventJson("ev-agents", "call.arrived", Now.AddSeconds(-5), extra: ",\"agents\":" + agents);

        var result = await EventsFunction().RunAsync(Requests.Json(body));

        Assert.Equal(200, Requests.Status(result));
        Assert.Equal(1, (await DayTotalAsync("cards")).Arrivals);
    }

    [Theory]
    [InlineData("2026-11-28T09:59:55")]
    [InlineData("2026-11-28")]
    [InlineData("2026-11-28T09:59:55.123")]
    public async Task A_time_without_an_offset_is_refused_as_its_instant_is_unknown(string occurredAt)
    {
        // Read in the server's time zone before: counted in another interval, or refused as in the future, by host.
        var body = $$"""{"eventId":"ev-nooffset","type":"call.arrived","occurredAt":"{{occurredAt}}","queueId":"cards","callId":"c1"}""";

        var result = await EventsFunction().RunAsync(Requests.Json(body));

        Assert.Equal(400, Requests.Status(result));
        Assert.Contains("offset", Assert.Single(Errors(result)["occurredAt"]), StringComparison.Ordinal);
        Assert.Equal(0, await IntervalRowsAsync());
    }

    [Theory]
    [InlineData("2026-11-28T09:59:55Z")]
    [InlineData("2026-11-28T11:59:55+02:00")]
    [InlineData("2026-11-28T04:59:55.5-05:00")]
    public async Task A_time_with_an_offset_counts_in_the_utc_interval_it_names(string occurredAt)
    {
        // 09:59:55 UTC, written three ways: the 15-minute interval from 09:45.
        var body = $$"""{"eventId":"ev-offset","type":"call.arrived","occurredAt":"{{occurredAt}}","queueId":"cards","callId":"c1"}""";

        Assert.Equal(200, Requests.Status(await EventsFunction().RunAsync(Requests.Json(body))));

        var day = await Intervals.GetDayAsync("cards", DateOnly.FromDateTime(Today.UtcDateTime));
        Assert.Equal(new TimeSpan(9, 45, 0), Assert.Single(day, i => i.Counts.Arrivals > 0).IntervalStart.UtcDateTime.TimeOfDay);
    }

    [Fact]
    public async Task A_snapshot_without_an_offset_is_refused()
    {
        var function = new QueueSnapshotFunction(Snapshots, Time, NullLogger<QueueSnapshotFunction>.Instance);
        var result = await function.RunAsync(Requests.Json("""{"observedAt":"2026-11-28T09:59:58","waitingCalls":0,"oldestWaitSeconds":0,"agents":[]}"""), "cards");

        Assert.Equal(400, Requests.Status(result));
        Assert.True(Errors(result).ContainsKey("observedAt"));
        Assert.Null(await Snapshots.GetLatestAsync("cards"));
    }

    [Theory]
    [InlineData("cards\n", "c1")]
    [InlineData("cards", "c1\n")]
    public async Task An_id_ending_in_a_newline_is_refused(string queueId, string callId)
    {
        // '$' matched before a final newline, so the id passed and the Table service refused the key: a 500.
        var body = $$"""{"eventId":"ev-nl","type":"call.arrived","occurredAt":"{{Now.AddSeconds(-5):O}}","queueId":"{{queueId.Replace("\n", "\\n", StringComparison.Ordinal)}}","callId":"{{callId.Replace("\n", "\\n", StringComparison.Ordinal)}}"}""";

        var result = await EventsFunction().RunAsync(Requests.Json(body));

        Assert.Equal(400, Requests.Status(result));
        Assert.Equal(0, await IntervalRowsAsync());
    }

    [Fact]
    public async Task A_snapshot_route_id_ending_in_a_newline_is_refused()
    {
        var function = new QueueSnapshotFunction(Snapshots, Time, NullLogger<QueueSnapshotFunction>.Instance);
        var body = $$"""{"observedAt":"{{Now.AddSeconds(-2):O}}","waitingCalls":0,"oldestWaitSeconds":0,"agents":[]}""";

        Assert.Equal(400, Requests.Status(await function.RunAsync(Requests.Json(body), "cards\n")));
    }

    [Theory]
    [InlineData(-8 * 24 * 60)]
    [InlineData(-365 * 24 * 60)]
    [InlineData(10)]
    [InlineData(365 * 24 * 60)]
    public async Task A_twilio_event_outside_the_accepted_window_is_refused(int minutes)
    {
        // Twilio's events were never checked against the clock: a year-old redelivery, after retention dropped its
        // dedupe row, was counted again in a new table for that month.
        var result = await TwilioFunction(authToken: null, requireSignature: false).RunAsync(Form(TaskCreated(Now.AddMinutes(minutes)), query: "?queueId=cards"));

        Assert.Equal(400, Requests.Status(result));
        Assert.True(Errors(result).ContainsKey("Timestamp"));
        Assert.Equal(0, await IntervalRowsAsync());
    }

    [Fact]
    public async Task A_twilio_event_within_the_window_is_counted()
    {
        var result = await TwilioFunction(authToken: null, requireSignature: false).RunAsync(Form(TaskCreated(Now.AddDays(-6)), query: "?queueId=cards"));

        Assert.Equal(204, Requests.Status(result));
        Assert.Equal(1, (await DayTotalAsync("WQbounds", Now.AddDays(-6))).Arrivals);
    }

    [Fact]
    public async Task An_amazon_connect_event_a_year_old_is_refused()
    {
        var at = Now.AddDays(-365).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var result = await ConnectFunction().RunAsync(Requests.Json(PlatformPayloads.Event("b0000000-0000-4000-8000-000000000001", "QUEUED", "c-old", at, enqueued: at)));

        Assert.Equal(400, Requests.Status(result));
        Assert.Equal(0, await IntervalRowsAsync());
    }

    [Fact]
    public async Task An_amazon_connect_wait_longer_than_a_day_is_refused()
    {
        // A bogus enqueue time used to add its whole span to the interval's wait sum.
        var connected = Now.AddSeconds(-5).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var enqueued = Now.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var e = PlatformPayloads.Event("b0000000-0000-4000-8000-000000000002", "CONNECTED_TO_AGENT", "c-long", connected, enqueued: enqueued, connected: connected);

        var result = await ConnectFunction().RunAsync(Requests.Json(e));

        Assert.Equal(400, Requests.Status(result));
        Assert.True(Errors(result).ContainsKey("waitSeconds"));
        Assert.Equal(0, await IntervalRowsAsync());
    }

    [Theory]
    [InlineData(2_000_000_000, 2_000_000_000)] // wrapped to -294967296 in an int: no emergency, no hold while waiting
    [InlineData(2_000_000_000, 0)]
    [InlineData(100_001, 0)]
    public async Task A_genesys_waiting_count_beyond_what_a_snapshot_may_say_is_refused(int first, int second)
    {
        const string queue = "gq-bounds";
        var observedAt = Now.AddSeconds(-2).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var notification = $$$"""
            {"topicName":"v2.analytics.queues.{{{queue}}}.observations","eventBody":{"group":{"queueId":"{{{queue}}}"},"data":[
              {"metric":"oWaiting","stats":{"count":{{{first}}}},"observationDate":"{{{observedAt}}}"},
              {"metric":"oWaiting","stats":{"count":{{{second}}}},"observationDate":"{{{observedAt}}}"}]}}
            """;

        var result = await GenesysFunction().RunAsync(Requests.Json(notification));

        Assert.Equal(400, Requests.Status(result));
        Assert.Null(await Snapshots.GetLatestAsync(queue));
    }

    [Fact]
    public async Task A_genesys_observation_more_than_a_week_old_is_refused()
    {
        var observedAt = Now.AddDays(-8).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        var result = await GenesysFunction().RunAsync(Requests.Json(PlatformPayloads.Notification("gq-old", 3, 1000, observedAt)));

        Assert.Equal(400, Requests.Status(result));
        Assert.True(Errors(result).ContainsKey("eventBody.data.observationDate"));
        Assert.Null(await Snapshots.GetLatestAsync("gq-old"));
    }

    private static List<KeyValuePair<string, string>> TaskCreated(DateTimeOffset at) =>
    [
        new("EventType", "task.created"),
        new("Sid", "EVbounds" + at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        new("TimestampMs", at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        new("TaskSid", "WTbounds"),
        new("TaskQueueSid", "WQbounds"),
    ];
}

/// <summary>The same newline id on the strict store, which refuses control characters in keys as Azure does.</summary>
public sealed class InputBoundsStrictTests() : BackendTestBase(new StrictBackend())
{
    [Fact]
    public async Task A_batch_with_a_newline_id_is_refused_whole_and_writes_nothing()
    {
        var options = new TelephonyOptions();
        var calls = new CallProgressStore(Tables, options);
        var ingestor = new TelephonyIngestor(calls, new AgentStateStore(Tables), Snapshots, new IntervalStore(Tables, options), new AgentQueueMonthStore(Tables), options);
        var function = new TelephonyEventsFunction(ingestor, new WebhookSignature(Time),
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), Time, NullLogger<TelephonyEventsFunction>.Instance);
        var at = Time.GetUtcNow().AddSeconds(-5).ToString("O", CultureInfo.InvariantCulture);
        var body = $$$"""{"events":[{"eventId":"ok-1","type":"call.arrived","occurredAt":"{{{at}}}","queueId":"cards","callId":"c1"},{"eventId":"ev-nl\n","type":"call.arrived","occurredAt":"{{{at}}}","queueId":"cards","callId":"c2"}]}""";

        var result = await function.RunAsync(Requests.Json(body));

        Assert.Equal(400, Requests.Status(result));
        Assert.Equal(CallStage.Unknown, (await calls.GetAsync("cards", "c1")).Stage);
    }
}
