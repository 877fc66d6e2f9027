using CallBalancer.Core.Telephony;

namespace CallBalancer.Core.Tests.Telephony;

public sealed class TwilioTaskRouterMapperTests
{
    // A TaskRouter callback as Twilio posts it (fields from the TaskRouter event reference), for one voice task.
    internal static Dictionary<string, string> Callback(string eventType, string sid, long timestampMs, params (string Key, string Value)[] extra)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ["WorkspaceSid"] = "WS0123456789abcdef0123456789abcdef",
            ["WorkspaceName"] = "Card Services",
            ["EventType"] = eventType,
            ["EventDescription"] = $"Event {eventType}",
            ["ResourceType"] = eventType.StartsWith("worker", StringComparison.Ordinal) ? "worker" : "task",
            ["ResourceSid"] = "WT0123456789abcdef0123456789abcdef",
            ["Sid"] = sid,
            ["Timestamp"] = (timestampMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TimestampMs"] = timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in extra)
        {
            form[k] = v;
        }

        return form;
    }

    private const long T0 = 1_795_860_000_000; // 2026-11-28T10:00:00Z

    private static (string, string)[] Task(string taskSid) =>
    [
        ("TaskSid", taskSid), ("TaskQueueSid", "WQ0123456789abcdef0123456789abcdef"), ("TaskQueueName", "Card Services"),
        ("TaskPriority", "0"), ("TaskAssignmentStatus", "pending"),
        ("TaskAttributes", "{\"call_sid\":\"CA42\",\"from\":\"+14155550100\",\"reason\":\"bill-enquiry\",\"customerId\":\"cust-981\"}"),
    ];

    [Fact]
    public void Task_created_is_an_arrival_in_the_task_queue()
    {
        var m = TwilioTaskRouterMapper.Map(Callback("task.created", "EV01", T0, [.. Task("WT01"), ("TaskAge", "0")]), null);
        var e = Assert.Single(m.Events);
        Assert.Equal(TelephonyEventKind.CallArrived, e.Kind);
        Assert.Equal("EV01", e.EventId);
        Assert.Equal("WQ0123456789abcdef0123456789abcdef", e.QueueId);
        Assert.Equal("WT01", e.CallId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T0), e.OccurredAt);
    }

    [Fact]
    public void Reservation_accepted_is_an_answer_by_the_worker_with_the_task_age_as_wait()
    {
        var m = TwilioTaskRouterMapper.Map(Callback("reservation.accepted", "EV02", T0 + 14_000,
            [.. Task("WT01"), ("TaskAge", "14"), ("WorkerSid", "WK0123"), ("WorkerName", "alice"), ("ReservationSid", "WR01")]), null);
        var e = Assert.Single(m.Events);
        Assert.Equal(TelephonyEventKind.CallAnswered, e.Kind);
        Assert.Equal("WK0123", e.AgentId);
        Assert.Equal(14, e.WaitSeconds);
    }

    [Fact]
    public void Task_canceled_is_an_abandonment_and_task_completed_an_end_with_reason_and_customer()
    {
        var canceled = Assert.Single(TwilioTaskRouterMapper.Map(Callback("task.canceled", "EV03", T0,
            [.. Task("WT02"), ("TaskAge", "41"), ("TaskCanceledReason", "hangup")]), null).Events);
        Assert.Equal(TelephonyEventKind.CallAbandoned, canceled.Kind);
        Assert.Equal(41, canceled.WaitSeconds);

        var completed = Assert.Single(TwilioTaskRouterMapper.Map(Callback("task.completed", "EV04", T0, [.. Task("WT01"), ("TaskAge", "320")]), null).Events);
        Assert.Equal(TelephonyEventKind.CallEnded, completed.Kind);
        Assert.Equal("bill-enquiry", completed.Reason);
        Assert.Equal("cust-981", completed.CustomerId);
        Assert.Null(completed.HandleSeconds);
    }

    [Theory]
    [InlineData("Available", "available")]
    [InlineData("Offline", "logged-out")]
    [InlineData("Unavailable", "not-ready")]
    [InlineData("Break", "not-ready")]
    [InlineData("Busy", "on-call")]
    [InlineData("Wrap Up", "wrap-up")]
    public void Worker_activity_update_is_an_agent_state(string activity, string state)
    {
        var form = Callback("worker.activity.update", "EV05", T0, ("WorkerSid", "WK0123"), ("WorkerName", "alice"),
            ("WorkerActivityName", activity), ("WorkerPreviousActivitySid", "WA01"));
        var e = Assert.Single(TwilioTaskRouterMapper.Map(form, "cards").Events);
        Assert.Equal(TelephonyEventKind.AgentState, e.Kind);
        Assert.Equal("cards", e.QueueId);
        Assert.Equal("WK0123", e.AgentId);
        Assert.Equal(state, e.AgentState);
    }

    [Fact]
    public void A_worker_event_without_a_queue_is_invalid_and_other_event_types_are_skipped()
    {
        var noQueue = TwilioTaskRouterMapper.Map(Callback("worker.activity.update", "EV06", T0, ("WorkerSid", "WK1"), ("WorkerActivityName", "Available")), null);
        Assert.True(noQueue.IsInvalid);
        Assert.Contains("TaskQueueSid", noQueue.Errors.Keys);

        var skipped = TwilioTaskRouterMapper.Map(Callback("task.updated", "EV07", T0, Task("WT01")), null);
        Assert.False(skipped.IsInvalid);
        Assert.Empty(skipped.Events);
        Assert.NotNull(skipped.Ignored);
    }

    [Fact]
    public void Missing_sid_timestamp_or_task_are_named()
    {
        var form = Callback("task.created", "EV08", T0, ("TaskQueueSid", "WQ1"));
        form.Remove("Sid");
        form.Remove("Timestamp");
        form.Remove("TimestampMs");
        var m = TwilioTaskRouterMapper.Map(form, null);
        Assert.Equal(["Sid", "TaskSid", "Timestamp"], m.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
