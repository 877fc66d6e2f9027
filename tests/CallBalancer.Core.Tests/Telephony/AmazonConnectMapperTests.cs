using System.Text.Json;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Core.Tests.Telephony;

public sealed class AmazonConnectMapperTests
{
    internal const string Instance = "arn:aws:connect:eu-west-2:111122223333:instance/9f3a0c1e-7d2b-4c55-a1f0-2b9d8e7c6a51";
    internal const string QueueArn = Instance + "/queue/5b7e2f0a-3c9d-4e1b-8a6f-0d2c4b6e8f10";
    internal const string AgentArn = Instance + "/agent/7c1d3e5f-2a4b-4c6d-8e0f-1a3b5c7d9e2f";

    // An Amazon Connect contact event as EventBridge delivers it (shape from the contact events data model).
    internal static string Event(string id, string eventType, string contactId, string time, string? enqueued = null, string? connected = null, string? disconnected = null) => $$"""
        {
          "version": "0",
          "id": "{{id}}",
          "detail-type": "Amazon Connect Contact Event",
          "source": "aws.connect",
          "account": "111122223333",
          "time": "{{time}}",
          "region": "eu-west-2",
          "resources": ["{{Instance}}", "{{Instance}}/contact/{{contactId}}"],
          "detail": {
            "eventType": "{{eventType}}",
            "contactId": "{{contactId}}",
            "initialContactId": "{{contactId}}",
            "channel": "VOICE",
            "instanceArn": "{{Instance}}",
            "initiationMethod": "INBOUND",
            "initiationTimestamp": "2026-11-28T09:59:30.000Z"
            {{(enqueued is null ? "" : $$""", "queueInfo": { "queueType": "STANDARD", "queueArn": "{{QueueArn}}", "enqueueTimestamp": "{{enqueued}}" }""")}}
            {{(connected is null ? "" : $$""", "agentInfo": { "agentArn": "{{AgentArn}}", "connectedToAgentTimestamp": "{{connected}}" }""")}}
            {{(disconnected is null ? "" : $$""", "disconnectTimestamp": "{{disconnected}}", "disconnectReason": "CUSTOMER_DISCONNECT" """)}}
          }
        }
        """;

    private static PlatformMapping Map(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return AmazonConnectMapper.Map(doc.RootElement.Clone());
    }

    [Fact]
    public void Queued_is_an_arrival_in_the_queue_named_by_the_arn()
    {
        var e = Assert.Single(Map(Event("ev-1", "QUEUED", "c-1", "2026-11-28T10:00:01Z", enqueued: "2026-11-28T10:00:00.500Z")).Events);
        Assert.Equal(TelephonyEventKind.CallArrived, e.Kind);
        Assert.Equal("5b7e2f0a-3c9d-4e1b-8a6f-0d2c4b6e8f10", e.QueueId);
        Assert.Equal("c-1", e.CallId);
        Assert.Equal("ev-1", e.EventId);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, 500, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void Connected_to_agent_is_an_answer_with_the_wait_from_the_enqueue_time()
    {
        var e = Assert.Single(Map(Event("ev-2", "CONNECTED_TO_AGENT", "c-1", "2026-11-28T10:00:19Z",
            enqueued: "2026-11-28T10:00:00Z", connected: "2026-11-28T10:00:18Z")).Events);
        Assert.Equal(TelephonyEventKind.CallAnswered, e.Kind);
        Assert.Equal(18, e.WaitSeconds);
        Assert.Equal("7c1d3e5f-2a4b-4c6d-8e0f-1a3b5c7d9e2f", e.AgentId);
    }

    [Fact]
    public void Disconnected_after_an_agent_is_an_end_and_before_one_an_abandonment()
    {
        var ended = Assert.Single(Map(Event("ev-3", "DISCONNECTED", "c-1", "2026-11-28T10:05:00Z",
            enqueued: "2026-11-28T10:00:00Z", connected: "2026-11-28T10:00:18Z", disconnected: "2026-11-28T10:04:58Z")).Events);
        Assert.Equal(TelephonyEventKind.CallEnded, ended.Kind);
        Assert.Equal(280, ended.HandleSeconds);

        var abandoned = Assert.Single(Map(Event("ev-4", "DISCONNECTED", "c-2", "2026-11-28T10:01:00Z",
            enqueued: "2026-11-28T10:00:00Z", disconnected: "2026-11-28T10:00:47Z")).Events);
        Assert.Equal(TelephonyEventKind.CallAbandoned, abandoned.Kind);
        Assert.Equal(47, abandoned.WaitSeconds);
    }

    [Fact]
    public void Contacts_that_never_queue_and_other_event_types_map_to_nothing()
    {
        Assert.Empty(Map(Event("ev-5", "DISCONNECTED", "c-3", "2026-11-28T10:01:00Z", disconnected: "2026-11-28T10:00:40Z")).Events);
        var initiated = Map(Event("ev-6", "INITIATED", "c-4", "2026-11-28T10:01:00Z"));
        Assert.Empty(initiated.Events);
        Assert.False(initiated.IsInvalid);
    }

    [Fact]
    public void Missing_ids_are_named()
    {
        var m = Map("""{"detail":{"eventType":"QUEUED"}}""");
        Assert.Contains("id", m.Errors.Keys);
        Assert.Contains("detail.contactId", m.Errors.Keys);
        Assert.True(Map("[]").IsInvalid);
    }
}
