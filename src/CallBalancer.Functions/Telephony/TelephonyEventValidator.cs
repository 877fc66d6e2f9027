using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Balancing;

namespace CallBalancer.Functions.Telephony;

/// <summary>Checks generic telephony events field by field; errors are keyed as the request spells them (<c>events[3].occurredAt</c>).</summary>
internal static class TelephonyEventValidator
{
    /// <summary>Most events in one request.</summary>
    public const int MaxBatch = 500;

    /// <summary>Clock skew tolerated for an event from the future.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Oldest event accepted: platforms retry for hours, not weeks; older history is a backfill job.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    /// <summary>
    /// Validates the whole body: all or nothing. Returns the events when every one is valid; otherwise the errors of
    /// every invalid field of every event, so a platform can fix a batch in one round.
    /// </summary>
    public static (IReadOnlyList<TelephonyEvent>? Events, Dictionary<string, string[]> Errors, bool IsBatch) Validate(
        TelephonyEventRequest body, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Events is null)
        {
            var single = ValidateOne(body, string.Empty, now, errors);
            return (errors.Count == 0 ? [single!] : null, errors, false);
        }

        if (body.HasEventFields)
        {
            errors["events"] = ["Send either one event or {\"events\": [...]}, not both."];
            return (null, errors, true);
        }

        if (body.Events.Count is 0 or > MaxBatch)
        {
            errors["events"] = [$"A batch holds 1 to {MaxBatch} events."];
            return (null, errors, true);
        }

        var events = new List<TelephonyEvent>(body.Events.Count);
        for (var i = 0; i < body.Events.Count; i++)
        {
            var path = $"events[{i}]";
            if (body.Events[i] is not { } item)
            {
                errors[path] = ["Must be an event object."];
                continue;
            }

            if (item.Events is not null)
            {
                errors[path + ".events"] = ["Batches do not nest."];
                continue;
            }

            if (ValidateOne(item, path + ".", now, errors) is { } e)
            {
                events.Add(e);
            }
        }

        return (errors.Count == 0 ? events : null, errors, true);
    }

    private static TelephonyEvent? ValidateOne(TelephonyEventRequest r, string path, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        if (!TelephonyIds.IsValid(r.EventId, TelephonyIds.MaxLongId))
        {
            errors[path + "eventId"] = ["Required: 1-128 letters, digits, '.', '_', '-' or ':' (unique per event; the idempotency key)."];
        }

        if (!TelephonyEventNames.TryParseKind(r.Type, out var kind))
        {
            errors[path + "type"] = [$"Required: one of {string.Join(", ", TelephonyEventNames.KindNames)}."];
        }

        if (r.OccurredAt is not { } at)
        {
            errors[path + "occurredAt"] = ["Required: an ISO-8601 timestamp with offset."];
        }
        else if (at > now + MaxFutureSkew)
        {
            errors[path + "occurredAt"] = ["Is in the future (more than 5 minutes ahead of the server clock)."];
        }
        else if (at < now - MaxAge)
        {
            errors[path + "occurredAt"] = ["Is more than 7 days old."];
        }

        if (!TelephonyIds.IsValid(r.QueueId, TelephonyIds.MaxShortId))
        {
            errors[path + "queueId"] = ["Required: 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        if (errors.ContainsKey(path + "type"))
        {
            return null;
        }

        var isCall = kind is TelephonyEventKind.CallArrived or TelephonyEventKind.CallAnswered or TelephonyEventKind.CallAbandoned or TelephonyEventKind.CallEnded;
        if (isCall && !TelephonyIds.IsValid(r.CallId, TelephonyIds.MaxLongId))
        {
            errors[path + "callId"] = ["Required for call events: 1-128 letters, digits, '.', '_', '-' or ':'."];
        }

        if (r.AgentId is not null && !TelephonyIds.IsValid(r.AgentId, TelephonyIds.MaxShortId))
        {
            errors[path + "agentId"] = ["1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        CheckCode(r.Reason, path + "reason", errors);
        CheckCode(r.CustomerId, path + "customerId", errors);
        CheckSeconds(r.WaitSeconds, path + "waitSeconds", errors);
        CheckSeconds(r.HandleSeconds, path + "handleSeconds", errors);

        switch (kind)
        {
            case TelephonyEventKind.AgentState:
                if (r.AgentId is null)
                {
                    errors[path + "agentId"] = ["Required for agent.state."];
                }

                if (!TelephonyEventNames.IsPresenceState(r.State))
                {
                    errors[path + "state"] = [$"Required: one of {string.Join(", ", TelephonyEventNames.PresenceStateNames)}."];
                }

                break;
            case TelephonyEventKind.QueueSnapshot:
                // The snapshot endpoint's own rules, so both ways in agree on what a snapshot is.
                var snapshotRequest = new QueueSnapshotRequest
                {
                    ObservedAt = r.OccurredAt ?? now,
                    WaitingCalls = r.WaitingCalls,
                    OldestWaitSeconds = r.OldestWaitSeconds,
                    Agents = r.Agents ?? [],
                };
                var (_, snapshotErrors) = QueueSnapshotValidator.Validate(TelephonyIds.IsValid(r.QueueId, TelephonyIds.MaxShortId) ? r.QueueId! : "q", snapshotRequest, now);
                foreach (var (key, messages) in snapshotErrors.Where(x => x.Key != "observedAt"))
                {
                    errors[path + key] = messages;
                }

                break;
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new TelephonyEvent(r.EventId!, kind, r.OccurredAt!.Value, r.QueueId!)
        {
            CallId = isCall ? r.CallId : null,
            AgentId = r.AgentId,
            Reason = r.Reason,
            CustomerId = r.CustomerId,
            WaitSeconds = r.WaitSeconds,
            HandleSeconds = r.HandleSeconds,
            AgentState = kind == TelephonyEventKind.AgentState ? r.State : null,
            WaitingCalls = r.WaitingCalls,
            OldestWaitSeconds = r.OldestWaitSeconds,
            // Only a snapshot's agents are validated and read; another event's are ignored (an entry may be anything).
            Agents = kind == TelephonyEventKind.QueueSnapshot
                ? r.Agents?.Select(a => new Core.Balancing.AgentPresence(a!.AgentId!, ParseState(a.State))).ToList()
                : null,
        };
    }

    /// <summary>
    /// The same bounds for events mapped from a platform's callback (Twilio, Amazon Connect, Genesys), which the
    /// mappers build without the clock: the time within 7 days back and 5 minutes ahead (so a redelivery always finds
    /// its dedupe row, which retention keeps longer than that), waits and handle times of at most a day, a snapshot's
    /// counts within the snapshot endpoint's. Errors are keyed <paramref name="timeField"/> (the platform's name for the
    /// time it sent) or by the internal field; empty when every event is within bounds.
    /// </summary>
    public static Dictionary<string, string[]> CheckMapped(IEnumerable<TelephonyEvent> events, DateTimeOffset now, string timeField)
    {
        ArgumentNullException.ThrowIfNull(events);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.OccurredAt > now + MaxFutureSkew)
            {
                errors[timeField] = ["Is in the future (more than 5 minutes ahead of the server clock)."];
            }
            else if (e.OccurredAt < now - MaxAge)
            {
                errors[timeField] = ["Is more than 7 days old."];
            }

            CheckSeconds(e.WaitSeconds, "waitSeconds", errors);
            CheckSeconds(e.HandleSeconds, "handleSeconds", errors);
            if (e.WaitingCalls is < 0 or > QueueSnapshotValidator.MaxWaitingCalls)
            {
                errors["waitingCalls"] = [$"Must be between 0 and {QueueSnapshotValidator.MaxWaitingCalls}."];
            }

            CheckSeconds(e.OldestWaitSeconds, "oldestWaitSeconds", errors);
        }

        return errors;
    }

    private static Core.Balancing.AgentState ParseState(string? name) =>
        Core.Balancing.AgentStateNames.TryParseState(name, out var s) ? s : Core.Balancing.AgentState.LoggedOut;

    private static void CheckCode(string? value, string key, Dictionary<string, string[]> errors)
    {
        if (value is not null && !TelephonyIds.IsValid(value, TelephonyIds.MaxShortId))
        {
            errors[key] = ["1-64 letters, digits, '.', '_', '-' or ':'."];
        }
    }

    private static void CheckSeconds(double? value, string key, Dictionary<string, string[]> errors)
    {
        if (value is { } v && (!double.IsFinite(v) || v < 0 || v > 86_400))
        {
            errors[key] = ["Must be between 0 and 86400 seconds."];
        }
    }
}
