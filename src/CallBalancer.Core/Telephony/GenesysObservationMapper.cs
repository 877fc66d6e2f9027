using System.Globalization;
using System.Text.Json;

namespace CallBalancer.Core.Telephony;

/// <summary>
/// Maps a Genesys Cloud queue observation notification (topic <c>v2.analytics.queues.{id}.observations</c>) onto a
/// <c>queue.snapshot</c> event: <c>oWaiting</c> is the number of waiting calls and <c>oLongestWaiting</c> (when the
/// subscription includes it; its <c>stats.max</c> in milliseconds) the oldest wait. Observations carry counts, not
/// agent ids (<c>oOnQueueUsers</c>, <c>oInteracting</c>), so the snapshot's agents come from the queue's latest
/// <c>agent.state</c> events. Notifications have no event id of their own: the id is derived from the queue and the
/// observation time, which makes a redelivered notification a duplicate. An observation grouped by a media type other
/// than <c>voice</c> (chat, email, callback, message) is skipped; one without a media type is taken as voice.
/// </summary>
public static class GenesysObservationMapper
{
    /// <summary>Maps one notification; <paramref name="receivedAt"/> stands in for a notification without an observation time.</summary>
    public static PlatformMapping Map(JsonElement notification, DateTimeOffset receivedAt)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (notification.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Must be a notification object."];
            return PlatformMapping.Invalid(errors);
        }

        var topic = notification.TryGetProperty("topicName", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (topic is "channel.metadata")
        {
            return PlatformMapping.Skip("Channel heartbeat.");
        }

        if (!notification.TryGetProperty("eventBody", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            errors["eventBody"] = ["Required: the observation."];
            return PlatformMapping.Invalid(errors);
        }

        string? queueId = null;
        var hasGroup = body.TryGetProperty("group", out var group) && group.ValueKind == JsonValueKind.Object;
        if (hasGroup && group.TryGetProperty("mediaType", out var media) && media.ValueKind == JsonValueKind.String
            && !string.Equals(media.GetString(), "voice", StringComparison.OrdinalIgnoreCase))
        {
            // A queue's chat, email or callback observations arrive as their own notifications at the same observation
            // time: mapped, they would take the voice snapshot's event id (dropped as its duplicate, or dropping it) and
            // count other media's waiting contacts as callers.
            return PlatformMapping.Skip($"An observation of '{media.GetString()}' contacts: the balancer counts voice calls only.");
        }

        if (hasGroup && group.TryGetProperty("queueId", out var q) && q.ValueKind == JsonValueKind.String)
        {
            queueId = q.GetString();
        }
        else if (topic is not null && topic.StartsWith("v2.analytics.queues.", StringComparison.Ordinal))
        {
            queueId = topic.Split('.') is { Length: >= 5 } parts ? parts[3] : null;
        }

        if (!TelephonyIds.IsValid(queueId, TelephonyIds.MaxShortId))
        {
            errors["eventBody.group.queueId"] = ["Required: the queue id."];
            return PlatformMapping.Invalid(errors);
        }

        long? waiting = null; // summed wide: two counts near int.MaxValue must not wrap to a negative queue
        double oldestMs = 0;
        DateTimeOffset? observedAt = null;
        foreach (var metric in Metrics(body))
        {
            var name = metric.TryGetProperty("metric", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var stats = metric.TryGetProperty("stats", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
            if (name == "oWaiting" && stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("count", out var c)
                && c.TryGetInt32(out var count) && count >= 0)
            {
                waiting = (waiting ?? 0) + count;
            }
            else if (name == "oLongestWaiting" && stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("max", out var mx)
                && mx.TryGetDouble(out var ms) && double.IsFinite(ms) && ms >= 0)
            {
                oldestMs = Math.Max(oldestMs, ms);
            }

            if (metric.TryGetProperty("observationDate", out var od) && od.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(od.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                observedAt = observedAt is { } o && o > at ? o : at;
            }
        }

        if (waiting is null)
        {
            errors["eventBody.data"] = ["Required: an oWaiting metric with stats.count."];
            return PlatformMapping.Invalid(errors);
        }

        if (waiting > int.MaxValue)
        {
            errors["eventBody.data"] = ["The oWaiting counts add up to more callers than any queue holds."];
            return PlatformMapping.Invalid(errors);
        }

        var when = observedAt ?? receivedAt;
        var eventId = $"genesys:{queueId}:{when.UtcTicks.ToString(CultureInfo.InvariantCulture)}";
        return PlatformMapping.Of(new TelephonyEvent(eventId, TelephonyEventKind.QueueSnapshot, when, queueId!)
        {
            WaitingCalls = (int)waiting.Value,
            OldestWaitSeconds = waiting == 0 ? 0 : Math.Min(oldestMs / 1000.0, 86_400),
        });
    }

    /// <summary>The metric objects, whether listed directly under <c>data</c> or grouped as <c>data[].metrics[]</c>.</summary>
    private static IEnumerable<JsonElement> Metrics(JsonElement body)
    {
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (item.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in metrics.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object))
                {
                    yield return m;
                }
            }
            else
            {
                yield return item;
            }
        }
    }
}
