using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>
/// Any delivery order, any batching and any repetition of a set of calls' events, through the endpoint, ends with the
/// same counts and call stages as delivering each event once in order.
/// </summary>
public sealed class ReorderPropertyTests(AzuriteFixture azurite) : TelephonyTestBase(azurite)
{
    [Property(MaxTest = 25)]
    public Property Any_order_batching_and_repetition_gives_the_in_order_result(int seed)
    {
        var random = new Random(seed);
        var queue = "q" + (uint)seed;
        var start = Time.GetUtcNow().AddHours(-2);
        var events = new List<(string Json, string Type, int? Wait, string Call)>();
        var calls = random.Next(1, 9);
        for (var c = 0; c < calls; c++)
        {
            var call = $"c{c}";
            var at = start.AddSeconds(random.Next(0, 3600));
            events.Add((EventJson($"{call}-a", "call.arrived", at, queue, call), "call.arrived", null, call));
            if (random.Next(4) == 0)
            {
                events.Add((EventJson($"{call}-x", "call.abandoned", at.AddSeconds(40), queue, call), "call.abandoned", null, call));
            }
            else
            {
                // Half the answers carry no wait: it must then come from the stored arrival, whatever the order.
                var wait = random.Next(0, 60);
                var carries = random.Next(2) == 0;
                events.Add((EventJson($"{call}-b", "call.answered", at.AddSeconds(wait), queue, call, carries ? $",\"waitSeconds\":{wait}" : string.Empty),
                    "call.answered", carries ? wait : null, call));
                events.Add((EventJson($"{call}-c", "call.ended", at.AddSeconds(wait + 120), queue, call, ",\"handleSeconds\":120"), "call.ended", null, call));
            }
        }

        // Deliver: shuffled, some events twice, split into random batches.
        var delivery = events.Concat(events.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < delivery.Count;)
        {
            var size = random.Next(1, 6);
            var batch = delivery.Skip(i).Take(size).Select(e => e.Json).ToList();
            var status = Requests.Status(EventsFunction().RunAsync(Requests.Json(Batch(batch))).GetAwaiter().GetResult());
            if (status != 200)
            {
                return false.Label($"batch answered {status}");
            }

            i += size;
        }

        // The calls span up to two hours, which may cross midnight (UTC): sum every day touched.
        var total = new[] { start, start.AddHours(2) }
            .DistinctBy(d => d.UtcDateTime.Date)
            .Aggregate(IntervalCounts.Zero, (acc, day) => acc + DayTotalAsync(queue, day).GetAwaiter().GetResult());

        var answeredWithWait = events.Count(e => e.Type == "call.answered" && e.Wait is not null);
        var stagesOk = events.Select(e => e.Call).Distinct().All(call =>
        {
            var stage = Calls.GetAsync(queue, call).GetAwaiter().GetResult().Stage;
            return stage is CallStage.Ended or CallStage.Abandoned;
        });
        return (total.Arrivals == calls
                && total.Answered == events.Count(e => e.Type == "call.answered")
                && total.Abandoned == events.Count(e => e.Type == "call.abandoned")
                && total.HandledCalls == events.Count(e => e.Type == "call.ended")
                && total.AnsweredWithKnownWait >= answeredWithWait
                && stagesOk)
            .Label($"calls {calls}, totals {total}");
    }

    [Property(MaxTest = 25)]
    public Property Any_order_batching_and_repetition_credits_each_end_to_its_agent_when_known_at_first_delivery(int seed)
    {
        var random = new Random(seed);
        // A queue and agents of this case only (a shrink replays seeds already run; an agent's report spans every queue).
        var queue = "a" + Guid.NewGuid().ToString("N")[..10];
        var start = Time.GetUtcNow().AddHours(-2);
        var events = new List<(string Id, string Json, string Call)>();
        var agentOf = new Dictionary<string, string>();
        var endNamesAgent = new Dictionary<string, bool>();
        var calls = random.Next(1, 9);
        for (var c = 0; c < calls; c++)
        {
            var call = $"c{c}";
            var agent = $"{queue}-agent{random.Next(3)}";
            var at = start.AddSeconds(random.Next(0, 3600));
            agentOf[call] = agent;
            endNamesAgent[call] = random.Next(2) == 0;
            events.Add(($"{call}-b", EventJson($"{call}-b", "call.answered", at, queue, call, $",\"agentId\":\"{agent}\",\"waitSeconds\":3"), call));
            events.Add(($"{call}-c", EventJson($"{call}-c", "call.ended", at.AddSeconds(120), queue, call,
                ",\"handleSeconds\":120" + (endNamesAgent[call] ? $",\"agentId\":\"{agent}\"" : string.Empty)), call));
        }

        // Shuffled, some events twice, in random batches. An end is credited when it names its agent, or when its call's
        // answer was delivered in an earlier batch or in the same one; its first delivery is the one that counts.
        var delivery = events.Concat(events.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();
        var delivered = new HashSet<string>();
        var expected = new Dictionary<string, int>();
        for (var i = 0; i < delivery.Count;)
        {
            var batch = delivery.Skip(i).Take(random.Next(1, 6)).ToList();
            var answersSoFar = delivered.Concat(batch.Select(b => b.Id)).ToHashSet();
            foreach (var end in batch.Where(b => b.Id.EndsWith("-c", StringComparison.Ordinal)).DistinctBy(b => b.Id).Where(b => !delivered.Contains(b.Id)))
            {
                if (endNamesAgent[end.Call] || answersSoFar.Contains($"{end.Call}-b"))
                {
                    expected[agentOf[end.Call]] = expected.GetValueOrDefault(agentOf[end.Call]) + 1;
                }
            }

            var status = Requests.Status(EventsFunction().RunAsync(Requests.Json(Batch(batch.Select(b => b.Json)))).GetAwaiter().GetResult());
            if (status != 200)
            {
                return false.Label($"batch answered {status}");
            }

            delivered.UnionWith(batch.Select(b => b.Id));
            i += batch.Count;
        }

        var facts = new CallBalancer.Storage.Kpi.StoredCallFacts(Intervals, AgentMonths);
        var from = start.AddDays(-1);
        var to = start.AddDays(1);
        var credited = facts.GetQueueAgentCallFactsAsync(queue, from, to).GetAwaiter().GetResult();
        var queueTotal = facts.GetQueueCallFactsAsync(queue, from, to).GetAwaiter().GetResult()!;
        var perAgentOk = agentOf.Values.Distinct().All(agent =>
        {
            var byReport = facts.GetAgentCallFactsAsync(agent, from, to).GetAwaiter().GetResult()!;
            var inQueue = credited.GetValueOrDefault(agent)?.CallsHandled ?? 0;
            return inQueue == expected.GetValueOrDefault(agent) && byReport.CallsHandled == inQueue && byReport.TotalHandleSeconds == 120.0 * inQueue;
        });
        return (perAgentOk && queueTotal.CallsHandled == calls && credited.Values.Sum(f => f.CallsHandled) <= calls)
            .Label($"calls {calls}, expected {string.Join(",", expected)}, credited {string.Join(",", credited.Select(p => $"{p.Key}={p.Value.CallsHandled}"))}");
    }
}
