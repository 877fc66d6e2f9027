using System.Globalization;
using System.Text.Json;

namespace CallBalancer.Core.Telephony;

/// <summary>
/// Maps Twilio TaskRouter event callbacks (form fields; https://www.twilio.com/docs/taskrouter/api/event/reference)
/// onto internal events. A task is a call: <c>task.created</c> is an arrival, <c>reservation.accepted</c> an answer
/// (its <c>TaskAge</c> is the wait), <c>task.canceled</c> an abandonment, <c>task.completed</c> the end, and
/// <c>worker.activity.update</c> an agent state change from the worker's activity name. The event's own <c>Sid</c> is
/// the idempotency key, so Twilio's retries of one callback count once.
/// </summary>
public static class TwilioTaskRouterMapper
{
    /// <summary>Maps one callback. <paramref name="defaultQueueId"/> is used when the event names no task queue (worker events).</summary>
    public static PlatformMapping Map(IReadOnlyDictionary<string, string> form, string? defaultQueueId)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var eventType = Field(form, "EventType");
        if (eventType is null)
        {
            errors["EventType"] = ["Required."];
            return PlatformMapping.Invalid(errors);
        }

        if (eventType is not ("task.created" or "reservation.accepted" or "task.canceled" or "task.completed" or "worker.activity.update"))
        {
            return PlatformMapping.Skip($"TaskRouter event '{eventType}' carries nothing the balancer uses.");
        }

        var eventId = Field(form, "Sid") ?? Field(form, "EventSid");
        if (!TelephonyIds.IsValid(eventId, TelephonyIds.MaxLongId))
        {
            errors["Sid"] = ["Required: the event's Sid (EV...)."];
        }

        var occurredAt = Timestamp(form);
        if (occurredAt is null)
        {
            errors["Timestamp"] = ["Required: Timestamp (unix seconds) or TimestampMs."];
        }

        var queueId = Field(form, "TaskQueueSid") ?? Field(form, "TaskQueueName") ?? defaultQueueId;
        if (!TelephonyIds.IsValid(queueId, TelephonyIds.MaxShortId))
        {
            errors["TaskQueueSid"] = ["Required: the task queue (TaskQueueSid, TaskQueueName, or a queueId query parameter on the callback URL)."];
        }

        string? taskSid = null;
        if (eventType != "worker.activity.update")
        {
            taskSid = Field(form, "TaskSid");
            if (!TelephonyIds.IsValid(taskSid, TelephonyIds.MaxLongId))
            {
                errors["TaskSid"] = ["Required: the task (call) Sid."];
            }
        }

        string? workerSid = Field(form, "WorkerSid");
        if (eventType is "worker.activity.update" && !TelephonyIds.IsValid(workerSid, TelephonyIds.MaxShortId))
        {
            errors["WorkerSid"] = ["Required: the worker Sid."];
        }

        string? presence = null;
        if (eventType is "worker.activity.update")
        {
            presence = PresenceFromActivity(Field(form, "WorkerActivityName"));
            if (presence is null)
            {
                errors["WorkerActivityName"] = ["Required: the worker's new activity."];
            }
        }

        if (errors.Count > 0)
        {
            return PlatformMapping.Invalid(errors);
        }

        var e = new TelephonyEvent(eventId!, Kind(eventType), occurredAt!.Value, queueId!);
        return PlatformMapping.Of(eventType switch
        {
            "task.created" => e with { CallId = taskSid },
            "reservation.accepted" => e with
            {
                CallId = taskSid,
                AgentId = TelephonyIds.IsValid(workerSid, TelephonyIds.MaxShortId) ? workerSid : null,
                WaitSeconds = Seconds(form, "TaskAge"),
            },
            "task.canceled" => e with { CallId = taskSid, WaitSeconds = Seconds(form, "TaskAge") },
            "task.completed" => WithAttributes(e with { CallId = taskSid }, Field(form, "TaskAttributes")),
            _ => e with { AgentId = workerSid, AgentState = presence },
        });
    }

    /// <summary>
    /// The presence state of a TaskRouter activity name. Workspaces name their own activities; the defaults are
    /// Offline, Available, Unavailable and Break, and "Busy"/"On Call" and "Wrap Up" are common additions.
    /// </summary>
    public static string? PresenceFromActivity(string? activityName)
    {
        if (string.IsNullOrWhiteSpace(activityName))
        {
            return null;
        }

        var n = new string(activityName.Where(char.IsLetter).ToArray()).ToLowerInvariant();
        return n switch
        {
            "available" or "idle" or "ready" => "available",
            "offline" or "loggedout" => "logged-out",
            "busy" or "oncall" or "talking" or "reserved" => "on-call",
            "wrapup" or "wrapping" or "aftercallwork" => "wrap-up",
            "loggedin" => "logged-in",
            _ => "not-ready",
        };
    }

    private static TelephonyEventKind Kind(string eventType) => eventType switch
    {
        "task.created" => TelephonyEventKind.CallArrived,
        "reservation.accepted" => TelephonyEventKind.CallAnswered,
        "task.canceled" => TelephonyEventKind.CallAbandoned,
        "task.completed" => TelephonyEventKind.CallEnded,
        _ => TelephonyEventKind.AgentState,
    };

    /// <summary>The call reason and customer come from the task's attributes (JSON), when the flow put them there.</summary>
    private static TelephonyEvent WithAttributes(TelephonyEvent e, string? attributes)
    {
        if (string.IsNullOrWhiteSpace(attributes))
        {
            return e;
        }

        try
        {
            using var doc = JsonDocument.Parse(attributes, new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return e;
            }

            string? Str(params string[] names)
            {
                foreach (var name in names)
                {
                    if (doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                        && TelephonyIds.IsValid(v.GetString(), TelephonyIds.MaxShortId))
                    {
                        return v.GetString();
                    }
                }

                return null;
            }

            return e with { Reason = Str("reason", "callReason", "reason_code"), CustomerId = Str("customerId", "customer_id") };
        }
        catch (JsonException)
        {
            return e;
        }
    }

    private static DateTimeOffset? Timestamp(IReadOnlyDictionary<string, string> form)
    {
        if (Field(form, "TimestampMs") is { } ms && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && m is > 0 and < 253_402_300_799_000)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(m);
        }

        if (Field(form, "Timestamp") is { } s && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var sec)
            && sec is > 0 and < 253_402_300_799)
        {
            return DateTimeOffset.FromUnixTimeSeconds(sec);
        }

        return null;
    }

    private static double? Seconds(IReadOnlyDictionary<string, string> form, string name) =>
        Field(form, name) is { } v && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsFinite(d) && d >= 0 && d <= 86_400 * 7
            ? d
            : null;

    private static string? Field(IReadOnlyDictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
}
