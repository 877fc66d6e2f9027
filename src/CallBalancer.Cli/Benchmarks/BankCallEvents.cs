using System.Globalization;
using System.Text;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// Real calls as telephony events: the Technion "Anonymous Bank" per-call records of February 1999
/// (<c>shared/data/anonymous_bank_1999_02_calls.csv</c>; see its .md). Each call that reached the agent queue becomes
/// <c>call.arrived</c>, then <c>call.answered</c> (wait = q_time_s) and <c>call.ended</c> (handle = ser_time_s,
/// reason = call type, customer id), or <c>call.abandoned</c> (wait = q_time_s). Callers who left in the VRU and
/// PHANTOM rows are not queue calls and are skipped. The queue is the call type (PS, NW, NE, TT, IN, PE).
/// </summary>
internal static class BankCallEvents
{
    public const string FileName = "anonymous_bank_1999_02_calls.csv";

    // Israel standard time in February 1999 (the .md: local wall-clock, UTC+2).
    private static readonly TimeSpan Israel = TimeSpan.FromHours(2);

    /// <summary>One event: its JSON and what it counts, for checking the stored totals afterwards.</summary>
    internal sealed record Event(DateTimeOffset OccurredAt, string QueueId, string Kind, string Json);

    /// <summary>The events of the calls whose arrival falls in the first <paramref name="days"/> days after <paramref name="skipDays"/>, time-shifted by <paramref name="shift"/>, in time order.</summary>
    public static List<Event> Load(string path, int skipDays, int days, TimeSpan shift)
    {
        var result = new List<Event>();
        var first = new DateTime(1999, 2, 1).AddDays(skipDays);
        var last = first.AddDays(days);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var c = line.Split(',');
            if (c.Length < 16 || c[3] == "PHANTOM")
            {
                continue;
            }

            var arrival = Parse(c[0])!.Value;
            if (arrival.DateTime < first || arrival.DateTime >= last)
            {
                continue;
            }

            var answeredAt = Parse(c[1]);
            var endedAt = Parse(c[2]);
            var queueStart = Parse(c[8]);
            var queueExit = Parse(c[9]);
            var outcome = c[3];
            if (outcome == "HANG" && queueStart is null)
            {
                continue; // Left in the VRU: never offered to the agent queue.
            }

            var queue = c[4].ToLowerInvariant();
            var callId = $"{c[13]}-{c[14]}-{arrival:MMddHHmmss}";
            var arrivedAt = queueStart ?? answeredAt ?? Parse(c[7]) ?? arrival;
            var wait = Seconds(c[11]);
            result.Add(Make($"{callId}-a", "call.arrived", arrivedAt, queue, callId, string.Empty, shift));
            if (outcome == "AGENT" && answeredAt is { } answered)
            {
                var agent = Sanitise(c[6]);
                result.Add(Make($"{callId}-b", "call.answered", answered, queue, callId,
                    $",\"waitSeconds\":{wait}" + (agent is null ? string.Empty : $",\"agentId\":\"{agent}\""), shift));
                if (endedAt is { } ended)
                {
                    var customer = c[15] is { Length: > 0 } id && id != "0" ? $",\"customerId\":\"cust-{Sanitise(id)}\"" : string.Empty;
                    result.Add(Make($"{callId}-c", "call.ended", ended < answered ? answered : ended, queue, callId,
                        $",\"handleSeconds\":{Seconds(c[12])},\"reason\":\"{queue}\"{customer}", shift));
                }
            }
            else if (outcome == "HANG")
            {
                result.Add(Make($"{callId}-d", "call.abandoned", queueExit ?? endedAt ?? arrivedAt, queue, callId, $",\"waitSeconds\":{wait}", shift));
            }
        }

        return result.OrderBy(e => e.OccurredAt).ToList();
    }

    /// <summary>
    /// The same event for a copy of its queue (<c>{queue}k{copy}</c>, ids prefixed <c>k{copy}-</c>): more traffic with
    /// the real arrival pattern, still checkable queue by queue. Copy 0 is the event itself.
    /// </summary>
    public static Event Copy(Event e, int copy)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (copy == 0)
        {
            return e;
        }

        var prefix = $"k{copy.ToString(CultureInfo.InvariantCulture)}-";
        var queue = $"{e.QueueId}k{copy.ToString(CultureInfo.InvariantCulture)}";
        var json = e.Json
            .Replace("{\"eventId\":\"", "{\"eventId\":\"" + prefix, StringComparison.Ordinal)
            .Replace(",\"callId\":\"", ",\"callId\":\"" + prefix, StringComparison.Ordinal)
            .Replace($",\"queueId\":\"{e.QueueId}\"", $",\"queueId\":\"{queue}\"", StringComparison.Ordinal);
        return e with { QueueId = queue, Json = json };
    }

    private static Event Make(string eventId, string type, DateTimeOffset at, string queue, string callId, string extra, TimeSpan shift)
    {
        var when = at + shift;
        var json = new StringBuilder(256)
            .Append("{\"eventId\":\"").Append(eventId)
            .Append("\",\"type\":\"").Append(type)
            .Append("\",\"occurredAt\":\"").Append(when.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture))
            .Append("\",\"queueId\":\"").Append(queue)
            .Append("\",\"callId\":\"").Append(callId).Append('"')
            .Append(extra).Append('}')
            .ToString();
        return new Event(when, queue, type, json);
    }

    private static DateTimeOffset? Parse(string s) =>
        s.Length == 0 ? null : new DateTimeOffset(DateTime.ParseExact(s, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), Israel);

    private static string Seconds(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && v <= 86_400
            ? v.ToString(CultureInfo.InvariantCulture)
            : "0";

    private static string? Sanitise(string s)
    {
        var clean = new string(s.Where(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-').ToArray());
        return clean.Length is 0 or > 64 || clean == "NO_SERVER" ? null : clean;
    }
}
