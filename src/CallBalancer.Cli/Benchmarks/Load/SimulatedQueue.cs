using System.Globalization;
using System.Text;

namespace CallBalancer.Cli.Benchmarks.Load;

/// <summary>
/// One call queue of the load simulation, stepped one second at a time: Poisson arrivals at the rate that keeps its
/// agents at the configured occupancy, service times drawn from the call type's real answered calls, callers who
/// hang up once their (exponential) patience runs out, first come first served. Each step returns the telephony
/// events a platform would post for that second (<c>call.arrived</c>, <c>call.answered</c> with its wait,
/// <c>call.ended</c> with its handle time, <c>call.abandoned</c>, and an <c>agent.state</c> when an agent starts and
/// ends a call), and <see cref="SnapshotJson"/> is the queue snapshot the platform would post.
/// </summary>
internal sealed class SimulatedQueue
{
    private readonly TrafficProfile.CallType _type;
    private readonly double _arrivalsPerSecond;
    private readonly double _patienceSeconds;
    private readonly Random _random;
    private readonly long[] _busyUntil;
    private readonly Queue<(string CallId, long ArrivedAt, long GivesUpAt)> _waiting = new();
    private readonly (string CallId, long AnsweredAt)[] _onCall;
    private long _calls;

    public SimulatedQueue(string id, TrafficProfile.CallType type, int agents, double occupancy, double patienceSeconds, Random random)
    {
        Id = id;
        _type = type;
        AgentIds = Enumerable.Range(0, agents).Select(a => $"{id}-a{a:D4}").ToArray();
        _busyUntil = new long[agents];
        _onCall = new (string, long)[agents];
        _arrivalsPerSecond = occupancy * agents / type.MeanServiceSeconds;
        _patienceSeconds = patienceSeconds;
        _random = random;
    }

    /// <summary>The queue id.</summary>
    public string Id { get; }

    /// <summary>Its agents' ids.</summary>
    public IReadOnlyList<string> AgentIds { get; }

    /// <summary>Mean arrivals per second.</summary>
    public double ArrivalsPerSecond => _arrivalsPerSecond;

    /// <summary>Advances to <paramref name="now"/> (one second after the last step) and returns that second's events as JSON.</summary>
    public List<string> Step(DateTimeOffset now)
    {
        var t = now.ToUnixTimeSeconds();
        var events = new List<string>();
        for (var a = 0; a < _busyUntil.Length; a++)
        {
            if (_onCall[a].CallId is { } callId && _busyUntil[a] <= t)
            {
                events.Add(Event(callId + "-c", "call.ended", now, callId, $",\"agentId\":\"{AgentIds[a]}\",\"handleSeconds\":{t - _onCall[a].AnsweredAt},\"reason\":\"{_type.Name}\""));
                events.Add(Event($"{callId}-s2", "agent.state", now, null, $",\"agentId\":\"{AgentIds[a]}\",\"state\":\"available\""));
                _onCall[a] = default;
            }
        }

        // Callers who have waited past their patience hang up (the queue is FIFO; patience varies, so scan it).
        if (_waiting.Any(w => w.GivesUpAt <= t))
        {
            var staying = new List<(string, long, long)>();
            foreach (var w in _waiting)
            {
                if (w.GivesUpAt <= t)
                {
                    events.Add(Event(w.CallId + "-d", "call.abandoned", now, w.CallId, $",\"waitSeconds\":{t - w.ArrivedAt}"));
                }
                else
                {
                    staying.Add(w);
                }
            }

            _waiting.Clear();
            staying.ForEach(_waiting.Enqueue);
        }

        for (var k = Poisson(_arrivalsPerSecond); k > 0; k--)
        {
            var callId = $"{Id}-c{++_calls}";
            events.Add(Event(callId + "-a", "call.arrived", now, callId, string.Empty));
            _waiting.Enqueue((callId, t, t + (long)Math.Ceiling(-Math.Log(1 - _random.NextDouble()) * _patienceSeconds)));
        }

        for (var a = 0; a < _busyUntil.Length && _waiting.Count > 0; a++)
        {
            if (_onCall[a].CallId is null)
            {
                var (callId, arrivedAt, _) = _waiting.Dequeue();
                _onCall[a] = (callId, t);
                _busyUntil[a] = t + (long)Math.Ceiling(_type.ServiceSeconds[_random.Next(_type.ServiceSeconds.Count)]);
                events.Add(Event(callId + "-b", "call.answered", now, callId, $",\"agentId\":\"{AgentIds[a]}\",\"waitSeconds\":{t - arrivedAt}"));
                events.Add(Event($"{callId}-s1", "agent.state", now, null, $",\"agentId\":\"{AgentIds[a]}\",\"state\":\"on-call\""));
            }
        }

        return events;
    }

    /// <summary>The queue snapshot body at <paramref name="now"/>: callers waiting, the oldest wait, each agent's state.</summary>
    public string SnapshotJson(DateTimeOffset now)
    {
        var t = now.ToUnixTimeSeconds();
        var oldest = _waiting.Count == 0 ? 0 : t - _waiting.Min(w => w.ArrivedAt);
        var json = new StringBuilder(64 + (AgentIds.Count * 40))
            .Append("{\"observedAt\":\"").Append(now.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture))
            .Append("\",\"waitingCalls\":").Append(_waiting.Count)
            .Append(",\"oldestWaitSeconds\":").Append(oldest)
            .Append(",\"agents\":[");
        for (var a = 0; a < AgentIds.Count; a++)
        {
            json.Append(a == 0 ? string.Empty : ",").Append("{\"agentId\":\"").Append(AgentIds[a])
                .Append("\",\"state\":\"").Append(_onCall[a].CallId is null ? "available" : "on-call").Append("\"}");
        }

        return json.Append("]}").ToString();
    }

    private string Event(string eventId, string type, DateTimeOffset at, string? callId, string extra) =>
        new StringBuilder(200)
            .Append("{\"eventId\":\"").Append(eventId)
            .Append("\",\"type\":\"").Append(type)
            .Append("\",\"occurredAt\":\"").Append(at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture))
            .Append("\",\"queueId\":\"").Append(Id).Append('"')
            .Append(callId is null ? string.Empty : $",\"callId\":\"{callId}\"")
            .Append(extra).Append('}')
            .ToString();

    // Knuth's method; the rates here are well under one arrival per second per queue.
    private int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = _random.NextDouble(); p > limit; p *= _random.NextDouble())
        {
            k++;
        }

        return k;
    }
}
