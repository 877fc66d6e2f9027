using System.Text;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary><c>POST /api/telephony/events</c> called directly: answers, validation, signature, limits, storage failure.</summary>
public sealed class TelephonyEventsFunctionTests(AzuriteFixture azurite) : TelephonyTestBase(azurite)
{
    private DateTimeOffset Now => Time.GetUtcNow();

    [Fact]
    public async Task One_event_is_accepted_and_its_repeat_is_a_duplicate_with_the_same_http_status()
    {
        var body = EventJson("ev-1", "call.arrived", Now.AddSeconds(-5));
        var first = await EventsFunction().RunAsync(Requests.Json(body));
        var second = await EventsFunction().RunAsync(Requests.Json(body));
        Assert.Equal((200, 200), (Requests.Status(first), Requests.Status(second)));
        Assert.Equal("accepted", Requests.Body(first).GetProperty("status").GetString());
        Assert.Equal("duplicate", Requests.Body(second).GetProperty("status").GetString());
        Assert.Equal(1, (await DayTotalAsync("cards")).Arrivals);
    }

    [Fact]
    public async Task An_agent_state_that_loses_every_race_for_its_row_is_a_503_to_retry_not_a_500()
    {
        var contended = Client(o => o.AddPolicy(new FailingRequests("AgentStates", 412), Azure.Core.HttpPipelinePosition.PerCall));
        var ingestor = new TelephonyIngestor(Calls, new AgentStateStore(contended), Snapshots, Intervals, AgentMonths, TelephonyOptions, Time);
        var function = new TelephonyEventsFunction(ingestor, new WebhookSignature(Time),
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), Time, NullLogger<TelephonyEventsFunction>.Instance);

        var result = await function.RunAsync(Requests.Json(EventJson("st-1", "agent.state", Now.AddSeconds(-5), callId: null, extra: ",\"agentId\":\"alice\",\"state\":\"available\"")));

        Assert.Equal(503, Requests.Status(result));
        Assert.Contains("retry", Requests.Body(result).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_answers_each_event_in_order()
    {
        var body = Batch([
            EventJson("b1", "call.arrived", Now.AddSeconds(-60), callId: "c1"),
            EventJson("b2", "call.answered", Now.AddSeconds(-50), callId: "c1", extra: ",\"agentId\":\"alice\",\"waitSeconds\":10"),
            EventJson("b1", "call.arrived", Now.AddSeconds(-60), callId: "c1"),
            EventJson("b3", "call.ended", Now.AddSeconds(-5), callId: "c1", extra: ",\"reason\":\"bill-enquiry\",\"customerId\":\"cust-1\""),
            EventJson("b4", "agent.state", Now.AddSeconds(-5), callId: null, extra: ",\"agentId\":\"alice\",\"state\":\"wrap-up\""),
        ]);
        var result = await EventsFunction().RunAsync(Requests.Json(body));
        Assert.Equal(200, Requests.Status(result));
        var json = Requests.Body(result);
        Assert.Equal(4, json.GetProperty("accepted").GetInt32());
        Assert.Equal(1, json.GetProperty("duplicates").GetInt32());
        Assert.Equal(["accepted", "accepted", "duplicate", "accepted", "accepted"],
            json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        var total = await DayTotalAsync("cards");
        Assert.Equal((1, 1, 1, 45.0), (total.Arrivals, total.Answered, total.HandledCalls, total.HandleTimeSeconds));
    }

    public static TheoryData<string, string, string> InvalidBatches => new()
    {
        { "missing callId", "{\"eventId\":\"x2\",\"type\":\"call.arrived\",\"occurredAt\":\"2026-11-28T09:59:00Z\",\"queueId\":\"cards\"}", "events[1].callId" },
        { "unknown type", "{\"eventId\":\"x2\",\"type\":\"call.exploded\",\"occurredAt\":\"2026-11-28T09:59:00Z\",\"queueId\":\"cards\"}", "events[1].type" },
        { "bad queue id", "{\"eventId\":\"x2\",\"type\":\"call.arrived\",\"occurredAt\":\"2026-11-28T09:59:00Z\",\"queueId\":\"a/b\",\"callId\":\"c\"}", "events[1].queueId" },
        { "future", "{\"eventId\":\"x2\",\"type\":\"call.arrived\",\"occurredAt\":\"2026-11-28T11:00:00Z\",\"queueId\":\"cards\",\"callId\":\"c\"}", "events[1].occurredAt" },
        { "wrong json type", "{\"eventId\":\"x2\",\"type\":\"call.arrived\",\"occurredAt\":12,\"queueId\":\"cards\",\"callId\":\"c\"}", "events[1].occurredAt" },
        { "negative wait", "{\"eventId\":\"x2\",\"type\":\"call.answered\",\"occurredAt\":\"2026-11-28T09:59:00Z\",\"queueId\":\"cards\",\"callId\":\"c\",\"waitSeconds\":-1}", "events[1].waitSeconds" },
        { "bad agent state", "{\"eventId\":\"x2\",\"type\":\"agent.state\",\"occurredAt\":\"2026-11-28T09:59:00Z\",\"queueId\":\"cards\",\"agentId\":\"a\",\"state\":\"asleep\"}", "events[1].state" },
        { "snapshot without counts", "{\"eventId\":\"x2\",\"type\":\"queue.snapshot\",\"occurredAt\":\"2026-11-28T09:59:00Z\",\"queueId\":\"cards\"}", "events[1].waitingCalls" },
        { "snapshot agent state", "{\"eventId\":\"x2\",\"type\":\"queue.snapshot\",\"occurredAt\":\"2026-11-28T09:59:00Z\",\"queueId\":\"cards\",\"waitingCalls\":0,\"oldestWaitSeconds\":0,\"agents\":[{\"agentId\":\"a\",\"state\":\"zzz\"}]}", "events[1].agents[0].state" },
        { "null item", "null", "events[1]" },
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public async Task One_invalid_event_rejects_the_whole_batch_naming_the_field_and_writes_nothing(string because, string invalid, string field)
    {
        var body = Batch([EventJson("x1", "call.arrived", Now.AddSeconds(-5)), invalid]);
        var result = await EventsFunction().RunAsync(Requests.Json(body));
        Assert.True(Requests.Status(result) == 400, because);
        var problem = Assert.IsType<ValidationProblemDetails>(((ObjectResult)result).Value);
        Assert.Contains(field, problem.Errors.Keys);
        Assert.Equal(0, await IntervalRowsAsync());
        Assert.Equal(CallStage.Unknown, (await Calls.GetAsync("cards", "c1")).Stage);
    }

    [Fact]
    public async Task Batch_limits_and_body_rules()
    {
        var tooMany = Batch(Enumerable.Range(0, 501).Select(i => EventJson($"m{i}", "call.arrived", Now.AddSeconds(-5), callId: $"c{i}")));
        Assert.Equal(400, Requests.Status(await EventsFunction().RunAsync(Requests.Json(tooMany))));
        Assert.Equal(400, Requests.Status(await EventsFunction().RunAsync(Requests.Json("{\"events\":[]}"))));
        Assert.Equal(400, Requests.Status(await EventsFunction().RunAsync(Requests.Json("{\"events\":[],\"eventId\":\"x\"}"))));

        var huge = Batch(Enumerable.Range(0, 2000).Select(i => EventJson($"h{i}", "call.arrived", Now.AddSeconds(-5), callId: $"c{i}", extra: ",\"reason\":\"" + new string('r', 64) + "\"")));
        Assert.True(Encoding.UTF8.GetByteCount(huge) > 256 * 1024);
        Assert.Equal(413, Requests.Status(await EventsFunction().RunAsync(Requests.Json(huge))));
        Assert.Equal(415, Requests.Status(await EventsFunction().RunAsync(Requests.Json(EventJson("t1", "call.arrived", Now), "text/plain"))));
        Assert.Equal(0, await IntervalRowsAsync());
    }

    [Fact]
    public async Task With_a_signing_secret_the_signature_is_required_and_checked_within_five_minutes()
    {
        const string secret = "test-secret-value";
        var body = EventJson("sig-1", "call.arrived", Now.AddSeconds(-5));
        var bytes = Encoding.UTF8.GetBytes(body);
        var function = EventsFunction(secret);

        var missing = await function.RunAsync(Requests.Json(body));
        Assert.Equal(403, Requests.Status(missing));
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(((ObjectResult)missing).Value));

        var stale = Requests.Json(body);
        stale.Headers[WebhookSignature.HeaderName] = WebhookSignature.Sign(secret, Now.AddMinutes(-6), bytes);
        Assert.Equal(403, Requests.Status(await function.RunAsync(stale)));

        var wrongSecret = Requests.Json(body);
        wrongSecret.Headers[WebhookSignature.HeaderName] = WebhookSignature.Sign("other", Now, bytes);
        Assert.Equal(403, Requests.Status(await function.RunAsync(wrongSecret)));
        Assert.Equal(0, await IntervalRowsAsync());

        var signed = Requests.Json(body);
        signed.Headers[WebhookSignature.HeaderName] = WebhookSignature.Sign(secret, Now.AddMinutes(-4), bytes);
        Assert.Equal(200, Requests.Status(await function.RunAsync(signed)));
        Assert.Equal(1, (await DayTotalAsync("cards")).Arrivals);
    }

    [Fact]
    public async Task Unreachable_storage_is_503_so_the_platform_retries()
    {
        var dead = new CallBalancerTables(new StorageOptions { ConnectionString = UnreachableStorage.ConnectionString(), TablePrefix = Prefix });
        var ingestor = new TelephonyIngestor(new CallProgressStore(dead, TelephonyOptions), new AgentStateStore(dead), new SnapshotStore(dead),
            new IntervalStore(dead, TelephonyOptions), new AgentQueueMonthStore(dead), TelephonyOptions);
        var function = new TelephonyEventsFunction(ingestor, new WebhookSignature(Time),
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), Time, NullLogger<TelephonyEventsFunction>.Instance);
        var result = await function.RunAsync(Requests.Json(EventJson("d1", "call.arrived", Now.AddSeconds(-5))));
        Assert.Equal(503, Requests.Status(result));
    }

    // Fuzzing: bodies built from the valid shape with fields replaced by arbitrary JSON values, plus raw garbage. No
    // input may produce a 5xx (or throw): every rejection is a 4xx problem.
    private static readonly string[] Fields = ["eventId", "type", "occurredAt", "queueId", "callId", "agentId", "state", "waitSeconds", "handleSeconds", "waitingCalls", "oldestWaitSeconds", "agents", "events", "reason", "customerId"];

    private static Gen<string> JsonValue() => Gen.OneOf(
        Gen.Constant("null"),
        Gen.Constant("true"),
        Gen.Constant("{}"),
        Gen.Constant("[]"),
        Gen.Constant("[null]"),
        Gen.Constant("\"call.arrived\""),
        Gen.Constant("\"queue.snapshot\""),
        Gen.Constant("\"agent.state\""),
        Gen.Constant("\"2026-11-28T09:59:00Z\""),
        Gen.Constant("1e400"),
        Gen.Constant("-0"),
        Gen.Constant("[{\"agentId\":\"a\",\"state\":\"available\"},{}]"),
        Gen.Constant("{\"events\":[{}]}"),
        ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(s => System.Text.Json.JsonSerializer.Serialize(s)));

    private static Gen<string> EventBody() =>
        from pairs in Gen.ListOf(Gen.Zip(Gen.Elements(Fields), JsonValue()))
        select "{" + string.Join(',', pairs.DistinctBy(p => p.Item1).Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}";

    private static Gen<string> AnyBody() => Gen.OneOf(
        EventBody(),
        Gen.ListOf(EventBody()).Select(items => "{\"events\":[" + string.Join(',', items) + "]}"),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
        EventBody().Select(b => b[..(b.Length / 2)]));

    [Property(MaxTest = 300)]
    public Property No_input_produces_a_server_error()
    {
        return Prop.ForAll(AnyBody().ToArbitrary(), body =>
        {
            var result = EventsFunction().RunAsync(Requests.Json(body)).GetAwaiter().GetResult();
            var status = Requests.Status(result);
            return (status < 500).Label($"{status} for {body}");
        });
    }
}
