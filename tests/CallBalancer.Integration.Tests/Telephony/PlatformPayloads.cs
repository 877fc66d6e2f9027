namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>Realistic Amazon Connect (EventBridge) and Genesys Cloud payloads for the replay suites.</summary>
internal static class PlatformPayloads
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

    // A Genesys Cloud queue observation notification (topic v2.analytics.queues.{id}.observations).
    internal static string Notification(string queueId, int waiting, double? longestMs, string? observedAt = "2026-11-28T10:00:00.000Z") => $$"""
        {
          "topicName": "v2.analytics.queues.{{queueId}}.observations",
          "version": "2",
          "eventBody": {
            "group": { "queueId": "{{queueId}}", "mediaType": "voice" },
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
}
