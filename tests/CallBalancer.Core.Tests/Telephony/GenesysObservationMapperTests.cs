using System.Text.Json;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Core.Tests.Telephony;

public sealed class GenesysObservationMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 5, TimeSpan.Zero);

    internal static string Notification(string queueId, int waiting, double? longestMs, string? observedAt = "2026-11-28T10:00:00.000Z", string mediaType = "voice") => $$"""
        {
          "topicName": "v2.analytics.queues.{{queueId}}.observations",
          "version": "2",
          "eventBody": {
            "group": { "queueId": "{{queueId}}", "mediaType": "{{mediaType}}" },
            "data": [
              { "metric": "oWaiting", "stats": { "count": {{waiting}} }{{(observedAt is null ? "" : $", \"observationDate\": \"{observedAt}\"")}} },
              { "metric": "oInteracting", "stats": { "count": 7 } },
              { "metric": "oOnQueueUsers", "qualifier": "IDLE", "stats": { "count": 2 } },
              { "metric": "oOnQueueUsers", "qualifier": "INTERACTING", "stats": { "count": 7 } }
              {{(longestMs is null ? "" : $", {{ \"metric\": \"oLongestWaiting\", \"stats\": {{ \"max\": {longestMs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} }} }}")}}
            ]
          },
          "metadata": { "CorrelationId": "3f1c2a9e-0b7d-4e6f-9a81-c2d4e6f80a1b" }
        }
        """;

    private static PlatformMapping Map(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return GenesysObservationMapper.Map(doc.RootElement.Clone(), Now);
    }

    [Fact]
    public void Waiting_and_longest_wait_become_a_queue_snapshot_without_agents()
    {
        var e = Assert.Single(Map(Notification("0d9a6c2e-4b1f-4f3a-9c8e-7a5b3d1f2e4c", 3, 42_500)).Events);
        Assert.Equal(TelephonyEventKind.QueueSnapshot, e.Kind);
        Assert.Equal("0d9a6c2e-4b1f-4f3a-9c8e-7a5b3d1f2e4c", e.QueueId);
        Assert.Equal(3, e.WaitingCalls);
        Assert.Equal(42.5, e.OldestWaitSeconds);
        Assert.Null(e.Agents);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), e.OccurredAt);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("email")]
    [InlineData("callback")]
    [InlineData("message")]
    public void Another_media_types_observation_is_skipped_and_leaves_the_voice_snapshot_alone(string mediaType)
    {
        // Same queue, same observation time: mapped, it would have the voice observation's event id.
        var other = Map(Notification("q1", 40, 900_000, mediaType: mediaType));
        Assert.Empty(other.Events);
        Assert.Empty(other.Errors);
        Assert.Contains(mediaType, other.Ignored, StringComparison.Ordinal);

        var voice = Assert.Single(Map(Notification("q1", 3, null, mediaType: "Voice")).Events);
        Assert.Equal(3, voice.WaitingCalls);
    }

    [Fact]
    public void An_observation_without_a_media_type_counts_as_voice()
    {
        var json = Notification("q1", 4, null).Replace(", \"mediaType\": \"voice\"", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("mediaType", json, StringComparison.Ordinal);
        Assert.Equal(4, Assert.Single(Map(json).Events).WaitingCalls);
    }

    [Fact]
    public void A_redelivered_notification_has_the_same_event_id()
    {
        var a = Assert.Single(Map(Notification("q1", 3, null)).Events);
        var b = Assert.Single(Map(Notification("q1", 3, null)).Events);
        Assert.Equal(a.EventId, b.EventId);
        Assert.Equal(0, a.OldestWaitSeconds ?? -1, 3);
    }

    [Fact]
    public void Without_an_observation_time_the_receipt_time_is_used()
    {
        Assert.Equal(Now, Assert.Single(Map(Notification("q1", 0, null, observedAt: null)).Events).OccurredAt);
    }

    [Fact]
    public void Heartbeats_are_skipped_and_a_missing_oWaiting_is_named()
    {
        Assert.Empty(Map("""{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}""").Events);
        var m = Map("""{"topicName":"v2.analytics.queues.q1.observations","eventBody":{"group":{"queueId":"q1"},"data":[]}}""");
        Assert.Contains("eventBody.data", m.Errors.Keys);
    }
}
