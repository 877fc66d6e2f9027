using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>Handled calls and handle time credited to agents from the call events, against Azurite.</summary>
public sealed class AgentCallFactsTests(AzuriteFixture azurite) : TelephonyTestBase(azurite)
{
    private DateTimeOffset At(int seconds) => Today.AddHours(9).AddSeconds(seconds);

    private static TelephonyEvent Answer(string call, DateTimeOffset at, string? agent, string queue = "cards") =>
        new($"{call}-b", TelephonyEventKind.CallAnswered, at, queue) { CallId = call, AgentId = agent, WaitSeconds = 5 };

    private static TelephonyEvent End(string call, DateTimeOffset at, string? agent = null, double? handle = null, string queue = "cards") =>
        new($"{call}-c", TelephonyEventKind.CallEnded, at, queue) { CallId = call, AgentId = agent, HandleSeconds = handle };

    private StoredCallFacts Facts => new(Intervals, AgentMonths);

    private async Task<Core.Kpi.AgentCallFacts> AgentAsync(string agent) => (await Facts.GetAgentCallFactsAsync(agent, Today, Today.AddDays(1)))!;

    [Fact]
    public async Task An_end_is_credited_to_the_agent_it_names_or_else_to_the_agent_who_answered()
    {
        // c1: answered by alice in an earlier request; the end names nobody and carries no handle time.
        await Ingestor.IngestAsync([Answer("c1", At(0), "alice")]);
        await Ingestor.IngestAsync([End("c1", At(180))]);

        // c2: the end names bob, whoever answered; c3: answer and end in one batch, the end naming nobody.
        await Ingestor.IngestAsync([Answer("c2", At(10), "alice"), End("c2", At(100), agent: "bob", handle: 90)]);
        await Ingestor.IngestAsync([Answer("c3", At(20), "bob"), End("c3", At(320), handle: 300)]);

        // c4: the end arrives before any answer and names nobody: the queue counts it, no agent is credited.
        await Ingestor.IngestAsync([End("c4", At(400), handle: 60)]);
        await Ingestor.IngestAsync([Answer("c4", At(340), "alice")]);

        // c5: answered here, ended through another instance (which has not seen the answer: it reads the call record).
        await Ingestor.IngestAsync([Answer("c5", At(500), "alice")]);
        var other = new TelephonyIngestor(new CallProgressStore(Tables, TelephonyOptions), AgentStates, Snapshots, Intervals, new AgentQueueMonthStore(Tables), TelephonyOptions);
        await other.IngestAsync([End("c5", At(545))]);

        Assert.Equal((2, 225.0), (await AgentAsync("alice")).ToTuple());
        Assert.Equal((2, 390.0), (await AgentAsync("bob")).ToTuple());
        var queue = await Facts.GetQueueCallFactsAsync("cards", Today, Today.AddDays(1));
        Assert.Equal((5, 675.0), queue!.ToTuple());
        var byAgent = await Facts.GetQueueAgentCallFactsAsync("cards", Today, Today.AddDays(1));
        Assert.Equal(["alice", "bob"], byAgent.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(queue!.CallsHandled - 1, byAgent.Values.Sum(f => f.CallsHandled));
    }

    [Fact]
    public async Task Repeated_delivery_credits_each_call_once()
    {
        var events = new[] { Answer("c1", At(0), "alice"), End("c1", At(200), handle: 200), Answer("c2", At(5), "alice"), End("c2", At(65)) };
        await Ingestor.IngestAsync(events);
        await Ingestor.IngestAsync(events.Reverse().ToList());
        await Ingestor.IngestAsync([events[1], events[3], events[1]]);

        Assert.Equal((2, 260.0), (await AgentAsync("alice")).ToTuple());
    }

    [Fact]
    public async Task An_agent_in_two_queues_is_summed_over_both_and_each_queue_sees_only_its_own()
    {
        await Ingestor.IngestAsync([Answer("c1", At(0), "alice", "cards"), End("c1", At(100), handle: 100, queue: "cards")]);
        await Ingestor.IngestAsync([Answer("c2", At(0), "alice", "loans"), End("c2", At(300), handle: 300, queue: "loans")]);

        Assert.Equal((2, 400.0), (await AgentAsync("alice")).ToTuple());
        Assert.Equal((1, 100.0), (await Facts.GetQueueAgentCallFactsAsync("cards", Today, Today.AddDays(1)))["alice"].ToTuple());
        Assert.Equal((1, 300.0), (await Facts.GetQueueAgentCallFactsAsync("loans", Today, Today.AddDays(1)))["alice"].ToTuple());
        Assert.Equal(["cards", "loans"], await AgentMonths.GetQueuesAsync("alice", DateOnly.FromDateTime(Today.UtcDateTime), DateOnly.FromDateTime(Today.UtcDateTime)));
    }

    [Fact]
    public async Task A_period_counts_the_intervals_that_start_in_it_across_days()
    {
        // Ends at 09:14 and 09:16 today and at 23:50 yesterday.
        await Ingestor.IngestAsync([End("c1", Today.AddHours(9).AddMinutes(14), "alice", 100), End("c2", Today.AddHours(9).AddMinutes(16), "alice", 200)]);
        await Ingestor.IngestAsync([End("c3", Today.AddMinutes(-10), "alice", 400)]);

        var nineToNineFifteen = await Facts.GetAgentCallFactsAsync("alice", Today.AddHours(9), Today.AddHours(9).AddMinutes(15));
        Assert.Equal((1, 100.0), nineToNineFifteen!.ToTuple());
        var overMidnight = await Facts.GetAgentCallFactsAsync("alice", Today.AddHours(-1), Today.AddHours(10));
        Assert.Equal((3, 700.0), overMidnight!.ToTuple());
        Assert.Equal((0, 0.0), (await Facts.GetAgentCallFactsAsync("nobody", Today.AddHours(-1), Today.AddHours(10)))!.ToTuple());

        // A period over a month boundary finds the queues of both months (the index is kept per month).
        var lastOfOctober = new DateTimeOffset(2026, 10, 31, 23, 50, 0, TimeSpan.Zero);
        await Ingestor.IngestAsync([End("c4", lastOfOctober, "alice", 50, queue: "loans")]);
        var overMonths = await Facts.GetAgentCallFactsAsync("alice", lastOfOctober.AddHours(-1), Today.AddHours(10));
        Assert.Equal((4, 750.0), overMonths!.ToTuple());
    }

    [Fact]
    public async Task Ends_credited_to_many_agents_in_one_batch_stay_within_100_entities_per_transaction()
    {
        var log = new TransactionSizeLog();
        var tables = new CallBalancerTables(Options, [log]);
        var options = new TelephonyOptions();
        var intervals = new IntervalStore(tables, options);
        var ingestor = new TelephonyIngestor(new CallProgressStore(tables, options), new AgentStateStore(tables), new SnapshotStore(tables), intervals,
            new AgentQueueMonthStore(tables), options);

        // 300 ends of 150 agents over three intervals: every event brings an agent row with it.
        var events = Enumerable.Range(0, 300).Select(i => End($"c{i}", At(i * 9), $"agent{i % 150:D3}", 60)).ToList();
        Assert.All(await ingestor.IngestAsync(events), o => Assert.Equal(IngestStatus.Accepted, o.Status));

        Assert.NotEmpty(log.Sizes);
        Assert.All(log.Sizes, size => Assert.InRange(size, 1, 100));

        // The agents' columns stay within the service's 252 properties per entity (8 counts + 2 per agent).
        var table = await tables.GetAsync(tables.Names.TelephonyIntervalsFor(DateOnly.FromDateTime(Today.UtcDateTime)));
        var agentColumns = new List<int>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.RowKey.CompareTo("s|") >= 0 && r.RowKey.CompareTo("s}") < 0))
        {
            agentColumns.Add(row.Keys.Count(k => k.StartsWith("Hc_", StringComparison.Ordinal) || k.StartsWith("Hs_", StringComparison.Ordinal)));
        }

        Assert.All(agentColumns, n => Assert.InRange(n, 2, 2 * 99));
        Assert.Contains(agentColumns, n => n > 100);
        var facts = new StoredCallFacts(intervals, new AgentQueueMonthStore(tables));
        Assert.Equal(300, (await facts.GetQueueAgentCallFactsAsync("cards", Today, Today.AddDays(1))).Values.Sum(f => f.CallsHandled));
        Assert.Equal((2, 120.0), (await facts.GetAgentCallFactsAsync("agent007", Today, Today.AddDays(1)))!.ToTuple());
    }
}

internal static class AgentCallFactsTuples
{
    public static (int, double) ToTuple(this Core.Kpi.AgentCallFacts facts) => (facts.CallsHandled, Math.Round(facts.TotalHandleSeconds, 6));
}
