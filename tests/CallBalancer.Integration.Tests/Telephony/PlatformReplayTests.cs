using System.Globalization;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>Replays of realistic platform callbacks through the adapter functions, with the retries platforms make.</summary>
public sealed class PlatformReplayTests(AzuriteFixture azurite) : TelephonyTestBase(azurite)
{
    private const string Token = "twilio-test-auth-token";
    private const string Queue = "WQ0123456789abcdef0123456789abcdef";

    private long Ms(int secondsAgo) => Time.GetUtcNow().AddSeconds(-secondsAgo).ToUnixTimeMilliseconds();

    private List<KeyValuePair<string, string>> Twilio(string eventType, string sid, int secondsAgo, params (string Key, string Value)[] extra)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
            new("WorkspaceSid", "WS0123456789abcdef0123456789abcdef"),
            new("WorkspaceName", "Card Services"),
            new("EventType", eventType),
            new("EventDescription", "TaskRouter " + eventType),
            new("ResourceType", eventType.Split('.')[0]),
            new("ResourceSid", "WT01"),
            new("Sid", sid),
            new("Timestamp", (Ms(secondsAgo) / 1000).ToString(CultureInfo.InvariantCulture)),
            new("TimestampMs", Ms(secondsAgo).ToString(CultureInfo.InvariantCulture)),
        };
        fields.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)));
        return fields;
    }

    private static (string, string)[] Task(string sid, int age) =>
    [
        ("TaskSid", sid), ("TaskQueueSid", Queue), ("TaskQueueName", "Card Services"), ("TaskAge", age.ToString(CultureInfo.InvariantCulture)),
        ("TaskAttributes", "{\"call_sid\":\"CA" + sid + "\",\"from\":\"+14155550100\",\"reason\":\"activation\",\"customerId\":\"cust-" + sid + "\"}"),
    ];

    private HttpRequest Signed(List<KeyValuePair<string, string>> fields, string query = "?queueId=cards", string token = Token) =>
        Form(fields, query: query, signature: TwilioSignature.Compute(token, "https://cb.example.net/api/telephony/twilio" + query, fields));

    [Fact]
    public async Task Twilio_taskrouter_day_replayed_twice_counts_once()
    {
        var callbacks = new List<List<KeyValuePair<string, string>>>
        {
            Twilio("task.created", "EV001", 600, Task("WT01", 0)),
            Twilio("task.created", "EV002", 590, Task("WT02", 0)),
            Twilio("task.created", "EV003", 580, Task("WT03", 0)),
            Twilio("reservation.created", "EV004", 595, [.. Task("WT01", 5), ("WorkerSid", "WK01"), ("ReservationSid", "WR01")]),
            Twilio("reservation.accepted", "EV005", 592, [.. Task("WT01", 8), ("WorkerSid", "WK01"), ("ReservationSid", "WR01")]),
            Twilio("reservation.accepted", "EV006", 555, [.. Task("WT02", 35), ("WorkerSid", "WK02"), ("ReservationSid", "WR02")]),
            Twilio("task.canceled", "EV007", 520, [.. Task("WT03", 60), ("TaskCanceledReason", "Task canceled on Workflow Timeout")]),
            Twilio("task.completed", "EV008", 400, Task("WT01", 200)),
            Twilio("task.completed", "EV009", 300, Task("WT02", 290)),
            Twilio("worker.activity.update", "EV010", 290, ("WorkerSid", "WK01"), ("WorkerName", "alice"), ("WorkerActivityName", "Available")),
            Twilio("worker.activity.update", "EV011", 280, ("WorkerSid", "WK02"), ("WorkerName", "bob"), ("WorkerActivityName", "Break")),
        };

        foreach (var round in new[] { 1, 2 })
        {
            foreach (var fields in callbacks)
            {
                var result = await TwilioFunction(Token).RunAsync(Signed(fields));
                Assert.True(Requests.Status(result) == 204, $"round {round}: {fields.First(f => f.Key == "EventType").Value}");
            }
        }

        var total = await DayTotalAsync(Queue);
        Assert.Equal((3, 2, 1), (total.Arrivals, total.Answered, total.Abandoned));
        Assert.Equal((2, 1), (total.AnsweredWithKnownWait, total.AnsweredWithinTarget));

        // Handle time from the stored answer time: WT01 answered 592 s ago, completed 400 s ago; WT02 555 -> 300.
        Assert.Equal(2, total.HandledCalls);
        Assert.Equal(192 + 255, total.HandleTimeSeconds, 3);
        Assert.Equal("available", (await AgentStates.GetAsync("cards", "WK01"))!.Value.State);
        Assert.Equal("not-ready", (await AgentStates.GetAsync("cards", "WK02"))!.Value.State);
    }

    [Fact]
    public async Task Twilio_signature_missing_wrong_or_unverifiable_is_403_and_writes_nothing()
    {
        var fields = Twilio("task.created", "EV100", 10, Task("WT09", 0));
        Assert.Equal(403, Requests.Status(await TwilioFunction(Token).RunAsync(Form(fields, query: "?queueId=cards"))));
        Assert.Equal(403, Requests.Status(await TwilioFunction(Token).RunAsync(Signed(fields, token: "wrong-token"))));

        // Signed for another URL (a different query string): the URL is part of what is signed.
        var otherUrl = Form(fields, query: "?queueId=cards", signature: TwilioSignature.Compute(Token, "https://cb.example.net/api/telephony/twilio?queueId=loans", fields));
        Assert.Equal(403, Requests.Status(await TwilioFunction(Token).RunAsync(otherUrl)));

        // A field changed after signing.
        var tampered = Signed(fields);
        var altered = fields.Select(f => f.Key == "TaskQueueSid" ? new KeyValuePair<string, string>(f.Key, "WQother") : f).ToList();
        var tamperedRequest = Form(altered, query: "?queueId=cards", signature: tampered.Headers["X-Twilio-Signature"]);
        Assert.Equal(403, Requests.Status(await TwilioFunction(Token).RunAsync(tamperedRequest)));

        // No token configured: 403 in the cloud (fail closed)...
        Assert.Equal(403, Requests.Status(await TwilioFunction(authToken: null, requireSignature: true).RunAsync(Form(fields, query: "?queueId=cards"))));
        Assert.Equal(0, await IntervalRowsAsync());

        // ...accepted where signatures are not required (the dev host's default).
        Assert.Equal(204, Requests.Status(await TwilioFunction(authToken: null, requireSignature: false).RunAsync(Form(fields, query: "?queueId=cards"))));
        Assert.Equal(1, (await DayTotalAsync(Queue)).Arrivals);
    }

    [Fact]
    public async Task Twilio_unusable_callbacks_are_400_or_415()
    {
        var noSid = Twilio("task.created", "EV200", 10, Task("WT01", 0)).Where(f => f.Key != "Sid").ToList();
        Assert.Equal(400, Requests.Status(await TwilioFunction(Token).RunAsync(Signed(noSid))));
        var json = Requests.Json("{}");
        Assert.Equal(415, Requests.Status(await TwilioFunction(Token).RunAsync(json)));
    }

    private string ConnectEvent(string id, string type, string contact, int enqueuedAgo, int? connectedAgo = null, int? disconnectedAgo = null) =>
        PlatformPayloads.Event(id, type, contact, Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            enqueued: Iso(enqueuedAgo), connected: connectedAgo is { } c ? Iso(c) : null, disconnected: disconnectedAgo is { } d ? Iso(d) : null);

    private string Iso(int secondsAgo) => Time.GetUtcNow().AddSeconds(-secondsAgo).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Amazon_connect_contact_events_in_any_order_with_redelivery_count_once()
    {
        var events = new List<string>
        {
            ConnectEvent("a0000000-0000-4000-8000-000000000001", "QUEUED", "c-1", 600),
            ConnectEvent("a0000000-0000-4000-8000-000000000002", "CONNECTED_TO_AGENT", "c-1", 600, connectedAgo: 590),
            ConnectEvent("a0000000-0000-4000-8000-000000000003", "DISCONNECTED", "c-1", 600, connectedAgo: 590, disconnectedAgo: 300),
            ConnectEvent("a0000000-0000-4000-8000-000000000004", "QUEUED", "c-2", 500),
            ConnectEvent("a0000000-0000-4000-8000-000000000005", "DISCONNECTED", "c-2", 500, disconnectedAgo: 440),
            ConnectEvent("a0000000-0000-4000-8000-000000000006", "QUEUED", "c-3", 400),
            ConnectEvent("a0000000-0000-4000-8000-000000000007", "CONNECTED_TO_AGENT", "c-3", 400, connectedAgo: 360),
        };

        // Newest first, then everything again as a batch (EventBridge retries).
        foreach (var e in Enumerable.Reverse(events))
        {
            Assert.Equal(200, Requests.Status(await ConnectFunction().RunAsync(Requests.Json(e))));
        }

        var again = await ConnectFunction().RunAsync(Requests.Json("[" + string.Join(',', events) + "]"));
        Assert.Equal(7, Requests.Body(again).GetProperty("duplicates").GetInt32());

        var total = await DayTotalAsync("5b7e2f0a-3c9d-4e1b-8a6f-0d2c4b6e8f10");
        Assert.Equal((3, 2, 1), (total.Arrivals, total.Answered, total.Abandoned));
        Assert.Equal((2, 1), (total.AnsweredWithKnownWait, total.AnsweredWithinTarget));
        Assert.Equal((1, 290.0), (total.HandledCalls, total.HandleTimeSeconds));
        Assert.Equal(CallStage.Ended, (await Calls.GetAsync("5b7e2f0a-3c9d-4e1b-8a6f-0d2c4b6e8f10", "c-1")).Stage);
    }

    [Fact]
    public async Task Amazon_connect_invalid_item_rejects_the_array_naming_it()
    {
        var good = ConnectEvent("a0000000-0000-4000-8000-000000000011", "QUEUED", "c-9", 60);
        var result = await ConnectFunction().RunAsync(Requests.Json("[" + good + ",{\"id\":\"x\",\"detail\":{\"eventType\":\"QUEUED\"}}]"));
        Assert.Equal(400, Requests.Status(result));
        Assert.True(Requests.Body(result).GetProperty("errors").TryGetProperty("[1].detail.contactId", out _));
        Assert.Equal(0, await IntervalRowsAsync());
    }

    [Fact]
    public async Task Genesys_observation_becomes_the_latest_snapshot_with_agents_from_agent_state_events()
    {
        const string queue = "0d9a6c2e-4b1f-4f3a-9c8e-7a5b3d1f2e4c";
        var states = Batch([
            EventJson("g-s1", "agent.state", Time.GetUtcNow().AddSeconds(-30), queue, null, ",\"agentId\":\"u1\",\"state\":\"available\""),
            EventJson("g-s2", "agent.state", Time.GetUtcNow().AddSeconds(-30), queue, null, ",\"agentId\":\"u2\",\"state\":\"logged-in\""),
        ]);
        Assert.Equal(200, Requests.Status(await EventsFunction().RunAsync(Requests.Json(states))));

        var observedAt = Time.GetUtcNow().AddSeconds(-2).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var notification = PlatformPayloads.Notification(queue, 4, 75_000, observedAt);
        var first = await GenesysFunction().RunAsync(Requests.Json(notification));
        Assert.Equal(1, Requests.Body(first).GetProperty("accepted").GetInt32());
        var redelivered = await GenesysFunction().RunAsync(Requests.Json(notification));
        Assert.Equal(1, Requests.Body(redelivered).GetProperty("duplicates").GetInt32());

        var latest = await Snapshots.GetLatestAsync(queue);
        Assert.Equal((4, 75.0), (latest!.WaitingCalls, latest.OldestWaitSeconds));
        Assert.Equal([new AgentPresence("u1", AgentState.Available), new AgentPresence("u2", AgentState.NotReady)], latest.Agents.OrderBy(a => a.AgentId));
    }

    [Fact]
    public async Task Intervals_endpoint_returns_every_interval_of_the_day_and_validates_its_input()
    {
        var at = Today.AddHours(9).AddMinutes(20);
        Assert.Equal(200, Requests.Status(await EventsFunction().RunAsync(Requests.Json(EventJson("i1", "call.arrived", at)))));
        var request = Requests.Get();
        request.QueryString = new QueryString("?date=" + Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var result = await IntervalsFunction().RunAsync(request, "cards");
        Assert.Equal(200, Requests.Status(result));
        var intervals = Requests.Body(result).GetProperty("intervals").EnumerateArray().ToList();
        Assert.Equal(96, intervals.Count);
        var nine15 = intervals.Single(i => i.GetProperty("intervalStart").GetDateTimeOffset() == Today.AddHours(9).AddMinutes(15));
        Assert.Equal(1, nine15.GetProperty("arrivals").GetInt64());
        Assert.Equal(0, nine15.GetProperty("answered").GetInt64());
        Assert.Equal(1, intervals.Sum(i => i.GetProperty("arrivals").GetInt64()));

        var bad = Requests.Get();
        bad.QueryString = new QueryString("?date=28/11/2026");
        Assert.Equal(400, Requests.Status(await IntervalsFunction().RunAsync(bad, "cards")));
        Assert.Equal(400, Requests.Status(await IntervalsFunction().RunAsync(request, "bad|queue")));
    }
}
