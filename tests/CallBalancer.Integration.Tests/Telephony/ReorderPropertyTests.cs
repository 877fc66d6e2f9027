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
}
