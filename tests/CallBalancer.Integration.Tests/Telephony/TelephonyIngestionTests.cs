using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>Idempotency, reordering and concurrency of ingestion, against Azurite.</summary>
public sealed class TelephonyIngestionTests(AzuriteFixture azurite) : TelephonyTestBase(azurite)
{
    private DateTimeOffset At(int seconds) => Time.GetUtcNow().AddMinutes(-30).AddSeconds(seconds);

    private static TelephonyEvent CallEvent(string id, TelephonyEventKind kind, DateTimeOffset at, string call, string queue = "cards") =>
        new(id, kind, at, queue) { CallId = call };

    [Fact]
    public async Task A_repeated_event_id_changes_nothing_and_is_answered_duplicate()
    {
        var arrival = CallEvent("ev-1", TelephonyEventKind.CallArrived, At(0), "c1");
        Assert.Equal(IngestStatus.Accepted, Assert.Single(await Ingestor.IngestAsync([arrival])).Status);
        var rowsAfterFirst = await IntervalRowsAsync();

        Assert.Equal(IngestStatus.Duplicate, Assert.Single(await Ingestor.IngestAsync([arrival])).Status);
        Assert.Equal(IngestStatus.Duplicate, Assert.Single(await Ingestor.IngestAsync([arrival])).Status);
        Assert.Equal(1, (await DayTotalAsync("cards")).Arrivals);
        Assert.Equal(rowsAfterFirst, await IntervalRowsAsync());
    }

    [Fact]
    public async Task A_repeat_within_one_batch_is_a_duplicate_of_its_first_occurrence()
    {
        var a = CallEvent("ev-1", TelephonyEventKind.CallArrived, At(0), "c1");
        var b = CallEvent("ev-2", TelephonyEventKind.CallArrived, At(1), "c2");
        var outcomes = await Ingestor.IngestAsync([a, b, a]);
        Assert.Equal([IngestStatus.Accepted, IngestStatus.Accepted, IngestStatus.Duplicate], outcomes.Select(o => o.Status));
        Assert.Equal(2, (await DayTotalAsync("cards")).Arrivals);
    }

    [Fact]
    public async Task Answers_are_judged_against_the_stored_arrival_and_ends_get_handle_time_from_the_stored_answer()
    {
        await Ingestor.IngestAsync([CallEvent("a1", TelephonyEventKind.CallArrived, At(0), "c1"), CallEvent("a2", TelephonyEventKind.CallArrived, At(0), "c2")]);
        await Ingestor.IngestAsync([CallEvent("b1", TelephonyEventKind.CallAnswered, At(12), "c1")]);
        await Ingestor.IngestAsync([CallEvent("b2", TelephonyEventKind.CallAnswered, At(45), "c2")]);
        await Ingestor.IngestAsync([CallEvent("c1", TelephonyEventKind.CallEnded, At(192), "c1")]);

        var total = await DayTotalAsync("cards");
        Assert.Equal(2, total.Answered);
        Assert.Equal(2, total.AnsweredWithKnownWait);
        Assert.Equal(1, total.AnsweredWithinTarget);
        Assert.Equal(57, total.WaitSecondsSum, 6);
        Assert.Equal(1, total.HandledCalls);
        Assert.Equal(180, total.HandleTimeSeconds, 6);
    }

    [Fact]
    public async Task Reordered_call_events_never_move_the_call_back_and_count_once()
    {
        // Delivered newest first: end, answer, arrival.
        await Ingestor.IngestAsync([CallEvent("e3", TelephonyEventKind.CallEnded, At(200), "c1") with { HandleSeconds = 185 }]);
        await Ingestor.IngestAsync([CallEvent("e2", TelephonyEventKind.CallAnswered, At(15), "c1") with { WaitSeconds = 15 }]);
        await Ingestor.IngestAsync([CallEvent("e1", TelephonyEventKind.CallArrived, At(0), "c1")]);

        var call = await Calls.GetAsync("cards", "c1");
        Assert.Equal(CallStage.Ended, call.Stage);
        Assert.Equal(At(15), call.AnsweredAt);

        var total = await DayTotalAsync("cards");
        Assert.Equal((1, 1, 0, 1, 1, 1), (total.Arrivals, total.Answered, total.Abandoned, total.AnsweredWithinTarget, total.HandledCalls, total.AnsweredWithKnownWait));
        Assert.Equal(185, total.HandleTimeSeconds, 6);
    }

    [Fact]
    public async Task Events_count_in_the_interval_they_occurred_in()
    {
        var start = Today.AddHours(9);
        await Ingestor.IngestAsync([
            CallEvent("x1", TelephonyEventKind.CallArrived, start.AddMinutes(14).AddSeconds(50), "c1"),
            CallEvent("x2", TelephonyEventKind.CallAnswered, start.AddMinutes(15).AddSeconds(5), "c1"),
            CallEvent("x3", TelephonyEventKind.CallArrived, start.AddMinutes(16), "c2"),
            CallEvent("x4", TelephonyEventKind.CallAbandoned, start.AddMinutes(31), "c2"),
        ]);

        var day = await Intervals.GetDayAsync("cards", DateOnly.FromDateTime(Today.UtcDateTime));
        Assert.Equal(96, day.Count);
        var byStart = day.ToDictionary(i => i.IntervalStart);
        Assert.Equal(1, byStart[start].Counts.Arrivals);
        Assert.Equal((1, 1), (byStart[start.AddMinutes(15)].Counts.Arrivals, byStart[start.AddMinutes(15)].Counts.Answered));
        Assert.Equal(15, byStart[start.AddMinutes(15)].Counts.WaitSecondsSum, 6);
        Assert.Equal(1, byStart[start.AddMinutes(30)].Counts.Abandoned);
        Assert.Equal(4, day.Sum(i => i.Counts.Arrivals + i.Counts.Answered + i.Counts.Abandoned));
    }

    [Fact]
    public async Task Agent_state_is_latest_by_occurred_at_not_by_arrival()
    {
        TelephonyEvent State(string id, int seconds, string state) =>
            new(id, TelephonyEventKind.AgentState, At(seconds), "cards") { AgentId = "alice", AgentState = state };

        await Ingestor.IngestAsync([State("s2", 20, "on-call")]);
        await Ingestor.IngestAsync([State("s1", 10, "available")]);
        Assert.Equal("on-call", (await AgentStates.GetAsync("cards", "alice"))!.Value.State);

        await Ingestor.IngestAsync([State("s4", 40, "not-ready"), State("s3", 30, "wrap-up")]);
        Assert.Equal("not-ready", (await AgentStates.GetAsync("cards", "alice"))!.Value.State);
    }

    [Fact]
    public async Task A_queue_snapshot_event_feeds_the_snapshot_store_the_rebalance_reads()
    {
        await Ingestor.IngestAsync([
            new TelephonyEvent("s1", TelephonyEventKind.AgentState, At(0), "cards") { AgentId = "alice", AgentState = "available" },
            new TelephonyEvent("s2", TelephonyEventKind.AgentState, At(1), "cards") { AgentId = "bob", AgentState = "on-call" },
        ]);
        await Ingestor.IngestAsync([new TelephonyEvent("q1", TelephonyEventKind.QueueSnapshot, At(5), "cards") { WaitingCalls = 2, OldestWaitSeconds = 31 }]);

        var latest = await Snapshots.GetLatestAsync("cards");
        Assert.Equal((2, 31.0), (latest!.WaitingCalls, latest.OldestWaitSeconds));
        Assert.Equal([new AgentPresence("alice", AgentState.Available), new AgentPresence("bob", AgentState.OnCall)], latest.Agents.OrderBy(a => a.AgentId));

        // An older snapshot delivered late changes nothing.
        await Ingestor.IngestAsync([new TelephonyEvent("q0", TelephonyEventKind.QueueSnapshot, At(2), "cards") { WaitingCalls = 9, OldestWaitSeconds = 90, Agents = [] }]);
        Assert.Equal(2, (await Snapshots.GetLatestAsync("cards"))!.WaitingCalls);
    }

    [Fact]
    public async Task An_agent_nobody_logged_out_stops_counting_in_a_snapshot_built_from_events_after_the_presence_limit()
    {
        // Kept for ever before: an agent whose logout was lost counted as available, and let a colleague cross-sell.
        var limit = TimeSpan.FromHours(TelephonyOptions.PresenceMaxAgeHours);
        await Ingestor.IngestAsync([
            new TelephonyEvent("s1", TelephonyEventKind.AgentState, At(0), "cards") { AgentId = "alice", AgentState = "available" },
            new TelephonyEvent("s2", TelephonyEventKind.AgentState, At(0), "cards") { AgentId = "bob", AgentState = "available" },
        ]);
        Time.Advance(limit - TimeSpan.FromMinutes(31));
        await Ingestor.IngestAsync([new TelephonyEvent("s3", TelephonyEventKind.AgentState, Time.GetUtcNow().AddSeconds(-1), "cards") { AgentId = "bob", AgentState = "on-call" }]);
        await Ingestor.IngestAsync([new TelephonyEvent("q1", TelephonyEventKind.QueueSnapshot, Time.GetUtcNow(), "cards") { WaitingCalls = 0, OldestWaitSeconds = 0 }]);
        Assert.Equal(["alice", "bob"], (await Snapshots.GetLatestAsync("cards"))!.Agents.Select(a => a.AgentId).Order(StringComparer.Ordinal));

        Time.Advance(TimeSpan.FromMinutes(2)); // alice's event is now older than the limit; bob's is not
        await Ingestor.IngestAsync([new TelephonyEvent("q2", TelephonyEventKind.QueueSnapshot, Time.GetUtcNow(), "cards") { WaitingCalls = 0, OldestWaitSeconds = 0 }]);
        Assert.Equal([new AgentPresence("bob", AgentState.OnCall)], (await Snapshots.GetLatestAsync("cards"))!.Agents);

        // A platform's own agent list is taken as sent.
        Time.Advance(TimeSpan.FromSeconds(15));
        await Ingestor.IngestAsync([new TelephonyEvent("q3", TelephonyEventKind.QueueSnapshot, Time.GetUtcNow(), "cards")
        {
            WaitingCalls = 0, OldestWaitSeconds = 0, Agents = [new AgentPresence("alice", AgentState.Available)],
        }]);
        Assert.Equal([new AgentPresence("alice", AgentState.Available)], (await Snapshots.GetLatestAsync("cards"))!.Agents);
    }

    [Fact]
    public async Task Eight_parallel_posters_with_interleaved_duplicates_end_with_exact_counts()
    {
        // 600 distinct events over 2 queues and 3 intervals; every poster sends a shuffled selection that overlaps
        // the others', in batches of 1 to 120, so most events arrive several times, concurrently.
        var random = new Random(20261128);
        var start = Today.AddHours(10);
        var events = new List<TelephonyEvent>();
        for (var i = 0; i < 200; i++)
        {
            var queue = i % 2 == 0 ? "cards" : "loans";
            var at = start.AddSeconds(random.Next(0, 45 * 60));
            var call = $"call{i:D4}";
            events.Add(CallEvent($"{call}-arr", TelephonyEventKind.CallArrived, at, call, queue));
            events.Add(i % 5 == 0
                ? CallEvent($"{call}-abn", TelephonyEventKind.CallAbandoned, at.AddSeconds(30), call, queue)
                : CallEvent($"{call}-ans", TelephonyEventKind.CallAnswered, at.AddSeconds(i % 40), call, queue) with { WaitSeconds = i % 40 });
            events.Add(CallEvent($"{call}-end", TelephonyEventKind.CallEnded, at.AddSeconds(300), call, queue) with { HandleSeconds = 200 });
        }

        var posters = Enumerable.Range(0, 8).Select(p =>
        {
            var r = new Random(p);
            var mine = events.Where((_, i) => i % 8 == p || r.NextDouble() < 0.4).OrderBy(_ => r.Next()).ToList();
            var batches = new List<List<TelephonyEvent>>();
            for (var i = 0; i < mine.Count;)
            {
                var size = Math.Min(r.Next(1, 121), mine.Count - i);
                batches.Add(mine.GetRange(i, size));
                i += size;
            }

            return batches;
        }).ToList();

        var outcomes = await Task.WhenAll(posters.Select(batches => Task.Run(async () =>
        {
            var all = new List<IngestOutcome>();
            foreach (var batch in batches)
            {
                all.AddRange(await Ingestor.IngestAsync(batch));
            }

            return all;
        })));

        // Each event accepted exactly once across all posters, whatever the interleaving.
        var accepted = outcomes.SelectMany(o => o).Where(o => o.Status == IngestStatus.Accepted).Select(o => o.EventId).ToList();
        Assert.Equal(events.Count, accepted.Count);
        Assert.Equal(events.Count, accepted.Distinct().Count());

        foreach (var queue in new[] { "cards", "loans" })
        {
            var mine = events.Where(e => e.QueueId == queue).ToList();
            var total = await DayTotalAsync(queue);
            Assert.Equal(mine.Count(e => e.Kind == TelephonyEventKind.CallArrived), total.Arrivals);
            Assert.Equal(mine.Count(e => e.Kind == TelephonyEventKind.CallAnswered), total.Answered);
            Assert.Equal(mine.Count(e => e.Kind == TelephonyEventKind.CallAbandoned), total.Abandoned);
            Assert.Equal(mine.Count(e => e.Kind == TelephonyEventKind.CallAnswered && e.WaitSeconds <= 20), total.AnsweredWithinTarget);
            Assert.Equal(mine.Count(e => e.Kind == TelephonyEventKind.CallEnded), total.HandledCalls);
        }
    }

    [Fact]
    public async Task A_batch_larger_than_one_transaction_in_one_partition_is_split_and_counted_whole()
    {
        var single = new TelephonyOptions { ShardCount = 1 };
        var intervals = new IntervalStore(Tables, single);
        var ingestor = new TelephonyIngestor(new CallProgressStore(Tables, single), AgentStates, Snapshots, intervals, new AgentQueueMonthStore(Tables), single);
        var at = Today.AddHours(11);
        var events = Enumerable.Range(0, 250).Select(i => CallEvent($"big-{i}", TelephonyEventKind.CallArrived, at.AddSeconds(i), $"c{i}")).ToList();

        var outcomes = await ingestor.IngestAsync(events);
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        var day = await intervals.GetDayAsync("cards", DateOnly.FromDateTime(at.UtcDateTime));
        Assert.Equal(250, day.Sum(i => i.Counts.Arrivals));

        // Replaying half of them with new ones mixed in: the repeats are found and dropped, the new ones counted.
        var replay = events.Take(125).Concat(Enumerable.Range(250, 10).Select(i => CallEvent($"big-{i}", TelephonyEventKind.CallArrived, at.AddSeconds(i), $"c{i}"))).ToList();
        var again = await ingestor.IngestAsync(replay);
        Assert.Equal(125, again.Count(o => o.Status == IngestStatus.Duplicate));
        Assert.Equal(260, (await intervals.GetDayAsync("cards", DateOnly.FromDateTime(at.UtcDateTime))).Sum(i => i.Counts.Arrivals));
    }
}
