using System.Globalization;
using System.Text.Json;

namespace CallBalancer.Core.Telephony;

/// <summary>
/// Maps Amazon Connect contact events, as EventBridge delivers them (<c>detail-type: "Amazon Connect Contact
/// Event"</c>; https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html), onto internal events.
/// <c>QUEUED</c> is an arrival at <c>queueInfo.enqueueTimestamp</c>; <c>CONNECTED_TO_AGENT</c> an answer whose wait is
/// connected minus enqueued; <c>DISCONNECTED</c> is an end (handle time = disconnected minus connected) when an agent
/// had answered, an abandonment when the contact was queued but never connected, and nothing for a contact that never
/// queued (self-service). Queue, agent and contact ids are the last segments of their ARNs; the EventBridge event
/// <c>id</c> is the idempotency key (EventBridge keeps it across its retries).
/// </summary>
public static class AmazonConnectMapper
{
    /// <summary>Maps one EventBridge event.</summary>
    public static PlatformMapping Map(JsonElement envelope)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (envelope.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Must be an EventBridge event object."];
            return PlatformMapping.Invalid(errors);
        }

        var id = Str(envelope, "id");
        if (!TelephonyIds.IsValid(id, TelephonyIds.MaxLongId))
        {
            errors["id"] = ["Required: the EventBridge event id."];
        }

        if (!envelope.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object)
        {
            errors["detail"] = ["Required: the contact event."];
            return PlatformMapping.Invalid(errors);
        }

        var eventType = Str(detail, "eventType");
        if (eventType is null)
        {
            errors["detail.eventType"] = ["Required."];
        }

        var contactId = Str(detail, "contactId");
        if (!TelephonyIds.IsValid(contactId, TelephonyIds.MaxLongId))
        {
            errors["detail.contactId"] = ["Required: the contact id."];
        }

        if (errors.Count > 0)
        {
            return PlatformMapping.Invalid(errors);
        }

        if (eventType is not ("QUEUED" or "CONNECTED_TO_AGENT" or "DISCONNECTED"))
        {
            return PlatformMapping.Skip($"Contact event '{eventType}' carries nothing the balancer uses.");
        }

        var queueInfo = Obj(detail, "queueInfo");
        var agentInfo = Obj(detail, "agentInfo");
        var queueArn = queueInfo is { } q ? Str(q, "queueArn") : null;
        var queueId = queueArn is null ? null : TelephonyIds.LastSegment(queueArn);
        if (!TelephonyIds.IsValid(queueId, TelephonyIds.MaxShortId))
        {
            if (eventType == "DISCONNECTED")
            {
                return PlatformMapping.Skip("The contact never reached a queue (self-service or outbound).");
            }

            errors["detail.queueInfo.queueArn"] = ["Required: the queue ARN."];
            return PlatformMapping.Invalid(errors);
        }

        var enqueued = queueInfo is { } qi ? Time(qi, "enqueueTimestamp") : null;
        var connected = agentInfo is { } ai ? Time(ai, "connectedToAgentTimestamp") : null;
        var agentArn = agentInfo is { } aa ? Str(aa, "agentArn") : null;
        var agentId = agentArn is null ? null : TelephonyIds.LastSegment(agentArn);
        var eventTime = Time(envelope, "time");

        TelephonyEvent Make(TelephonyEventKind kind, DateTimeOffset at) => new(id!, kind, at, queueId!) { CallId = contactId };

        switch (eventType)
        {
            case "QUEUED":
                var arrivedAt = enqueued ?? eventTime;
                return arrivedAt is null ? Missing("detail.queueInfo.enqueueTimestamp") : PlatformMapping.Of(Make(TelephonyEventKind.CallArrived, arrivedAt.Value));
            case "CONNECTED_TO_AGENT":
                var answeredAt = connected ?? eventTime;
                if (answeredAt is null)
                {
                    return Missing("detail.agentInfo.connectedToAgentTimestamp");
                }

                return PlatformMapping.Of(Make(TelephonyEventKind.CallAnswered, answeredAt.Value) with
                {
                    AgentId = TelephonyIds.IsValid(agentId, TelephonyIds.MaxShortId) ? agentId : null,
                    WaitSeconds = enqueued is { } e1 && answeredAt >= e1 ? (answeredAt.Value - e1).TotalSeconds : null,
                });
            default:
                var endedAt = Time(detail, "disconnectTimestamp") ?? eventTime;
                if (endedAt is null)
                {
                    return Missing("detail.disconnectTimestamp");
                }

                if (connected is { } c)
                {
                    return PlatformMapping.Of(Make(TelephonyEventKind.CallEnded, endedAt.Value) with
                    {
                        AgentId = TelephonyIds.IsValid(agentId, TelephonyIds.MaxShortId) ? agentId : null,
                        HandleSeconds = endedAt >= c ? (endedAt.Value - c).TotalSeconds : null,
                    });
                }

                return enqueued is { } e2
                    ? PlatformMapping.Of(Make(TelephonyEventKind.CallAbandoned, endedAt.Value) with
                    {
                        WaitSeconds = endedAt >= e2 ? (endedAt.Value - e2).TotalSeconds : null,
                    })
                    : PlatformMapping.Skip("The contact disconnected before it was queued.");
        }
    }

    private static PlatformMapping Missing(string field) =>
        PlatformMapping.Invalid(new Dictionary<string, string[]> { [field] = ["Required: an ISO-8601 timestamp."] });

    private static JsonElement? Obj(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Str(e, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
