using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Kpi;
using CallBalancer.Core.Offers;
using CallBalancer.Core.Supervision;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions;
using CallBalancer.Functions.Maintenance;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;
using CallBalancer.Storage.Offers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallBalancer.Integration.Tests.Storage;

/// <summary>The nightly retention run against Azurite, on a fake clock: what goes, what stays, twice, in bounded steps.</summary>
public sealed class RetentionServiceTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 30, 0, TimeSpan.Zero);

    private static RetentionPolicy Policy(int days = 35, int offerDays = 90, int maxDeletes = 100_000) =>
        new(TimeSpan.FromDays(days), TimeSpan.FromDays(offerDays), maxDeletes);

    private async Task<List<string>> TablesStartingAsync(string stem)
    {
        var names = new List<string>();
        await foreach (var t in Tables.Service.QueryAsync(t => t.Name.CompareTo(stem) >= 0 && t.Name.CompareTo(stem + "~") < 0))
        {
            names.Add(t.Name);
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }

    private async Task<int> CountAsync(string table, string? filter = null)
    {
        var n = 0;
        await foreach (var _ in Tables.Service.GetTableClient(table).QueryAsync<TableEntity>(filter, select: ["PartitionKey"]))
        {
            n++;
        }

        return n;
    }

    [Fact]
    public async Task Whole_months_of_decisions_and_telephony_older_than_the_retention_are_dropped_and_recent_ones_kept()
    {
        // Decisions and call events in July, September and November 2026, on a clock of this test's own.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 10, 9, 0, 0, TimeSpan.Zero));
        var decisions = new DecisionStore(Tables, clock);
        var intervals = new IntervalStore(Tables, new TelephonyOptions());
        async Task RecordMonthAsync(string name)
        {
            await decisions.AppendAsync(new ModeDecision(name, "cards", clock.GetUtcNow(), "idle-reserve", "why", 1, [], new Dictionary<string, double>()));
            var arrival = new TelephonyEvent($"{name}-arr", TelephonyEventKind.CallArrived, clock.GetUtcNow(), "cards") { CallId = name };
            await intervals.RecordAsync([(arrival, new IntervalCounts { Arrivals = 1 })]);
        }

        await RecordMonthAsync("july");
        clock.SetUtcNow(new DateTimeOffset(2026, 9, 20, 9, 0, 0, TimeSpan.Zero));
        await RecordMonthAsync("september");
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        await RecordMonthAsync("november");

        var result = await new RetentionService(Tables, clock).RunAsync(Policy(days: 60));

        // Cut-off 29 Sep: July's end is older (dropped; August never existed); September is kept because part of it
        // is still inside the period.
        var july = new DateOnly(2026, 7, 10);
        Assert.Equal(
            new[] { Tables.Names.DecisionsFor(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)), Tables.Names.TelephonyIntervalsFor(july) }.Order(),
            result.DroppedTables.Order());
        Assert.Equal(["202609", "202611"], (await TablesStartingAsync(Tables.Names.Decisions)).Select(n => n[^6..]));
        Assert.Equal(["202609", "202611"], (await TablesStartingAsync(Tables.Names.TelephonyIntervals)).Select(n => n[^6..]));
        Assert.Equal("november", Assert.Single(await decisions.ListRecentAsync("cards", 10)).DecisionId); // this month and the last
        Assert.Equal(1, (await intervals.GetDayAsync("cards", new DateOnly(2026, 9, 20))).Sum(i => i.Counts.Arrivals));

        // A dropped month reads as zeros, and reading it does not bring an empty table back.
        Assert.Equal(0, (await intervals.GetDayAsync("cards", july)).Sum(i => i.Counts.Arrivals));
        Assert.DoesNotContain(Tables.Names.TelephonyIntervalsFor(july), await TablesStartingAsync(Tables.Names.TelephonyIntervals));

        var again = await new RetentionService(Tables, clock).RunAsync(Policy(days: 60));
        Assert.Empty(again.DroppedTables);
        Assert.True(again.Complete);
    }

    [Fact]
    public async Task Snapshots_of_queues_silent_since_before_the_cutoff_are_removed()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("old", 2) with { ObservedAt = Time.GetUtcNow().AddDays(-40) });
        await Snapshots.SaveLatestAsync(QuietSnapshot("fresh", 2));
        var result = await new RetentionService(Tables, Time).RunAsync(Policy());
        Assert.Equal(1, result.SnapshotsRemoved);
        Assert.Equal(["fresh"], (await Snapshots.ListLatestAsync()).Select(s => s.QueueId));
    }

    [Fact]
    public async Task Calls_go_when_every_stage_is_older_than_the_cutoff_and_offers_after_their_own_period()
    {
        var clock = new FakeTimeProvider(Now);
        var calls = new CallProgressStore(Tables, new TelephonyOptions());
        var old = Now.AddDays(-40);
        await calls.MergeAsync(new Dictionary<(string, string), CallProgress>
        {
            [("cards", "old")] = new(old, old.AddSeconds(10), null, old.AddMinutes(5)),
            [("cards", "abandoned")] = new(old, null, old.AddSeconds(30), null),
            [("cards", "answer-only")] = new(null, old, null, null),
            [("cards", "long")] = new(Now.AddDays(-36), null, null, Now.AddDays(-34)),
            [("cards", "fresh")] = new(Now.AddHours(-1), null, null, null),
        });

        var offers = new ContactHistoryStore(Tables);
        StoredOffer Offer(string recommendation, int i, string customer, DateTimeOffset at) =>
            new(ContactHistoryStore.OfferId(recommendation, i), customer, "alice", "sms-alerts", CallReason.CardActivation, "PS", 0.5, at);
        await offers.SaveOffersAsync([Offer("r1", 0, "c1", Now.AddDays(-100)), Offer("r1", 1, "c1", Now.AddDays(-100))]);
        await offers.SaveOffersAsync([Offer("r3", 0, "c1", Now.AddDays(-10))]);
        await offers.SaveOffersAsync([Offer("r4", 0, "c2", Now.AddDays(-95))]);
        Assert.True(await offers.TrySaveHistoryAsync("c1", new ContactHistory([], Now.AddDays(-200)), null));

        var result = await new RetentionService(Tables, clock).RunAsync(Policy());

        Assert.Equal(3, result.CallsRemoved);
        Assert.Equal(CallProgress.Unknown, await calls.GetAsync("cards", "old"));
        Assert.Equal(CallProgress.Unknown, await calls.GetAsync("cards", "answer-only"));
        Assert.NotEqual(CallProgress.Unknown, await calls.GetAsync("cards", "long"));
        Assert.NotEqual(CallProgress.Unknown, await calls.GetAsync("cards", "fresh"));

        Assert.Equal(2, result.OffersRemoved); // the rows of recommendations r1 (two offers) and r4
        Assert.Null(await offers.GetOfferAsync("c1", ContactHistoryStore.OfferId("r1", 0)));
        Assert.Null(await offers.GetOfferAsync("c1", ContactHistoryStore.OfferId("r1", 1)));
        Assert.Null(await offers.GetOfferAsync("c2", ContactHistoryStore.OfferId("r4", 0)));
        Assert.NotNull(await offers.GetOfferAsync("c1", ContactHistoryStore.OfferId("r3", 0)));

        // The contact history (here a permanent opt-out from 200 days ago) shares the partition and stays.
        Assert.Equal(Now.AddDays(-200), (await offers.GetHistoryAsync("c1")).History.OptedOutAt);

        var again = await new RetentionService(Tables, clock).RunAsync(Policy());
        Assert.Equal((0, 0, 0, true), (again.SnapshotsRemoved, again.CallsRemoved, again.OffersRemoved, again.Complete));
    }

    [Fact]
    public async Task An_agent_presence_last_heard_of_before_the_cutoff_goes_and_a_recent_one_stays()
    {
        // Kept for ever before: every agent a queue ever had stayed in the partition each event-built snapshot reads.
        var clock = new FakeTimeProvider(Now);
        var states = new AgentStateStore(Tables);
        await states.ApplyAsync(new TelephonyEvent("s1", TelephonyEventKind.AgentState, Now.AddDays(-40), "cards") { AgentId = "left", AgentState = "available" });
        await states.ApplyAsync(new TelephonyEvent("s2", TelephonyEventKind.AgentState, Now.AddDays(-2), "cards") { AgentId = "here", AgentState = "logged-out" });

        var result = await new RetentionService(Tables, clock).RunAsync(Policy());

        Assert.Equal(1, result.AgentStatesRemoved);
        Assert.Null(await states.GetAsync("cards", "left"));
        Assert.NotNull(await states.GetAsync("cards", "here"));
        Assert.Equal(0, (await new RetentionService(Tables, clock).RunAsync(Policy())).AgentStatesRemoved);
    }

    [Fact]
    public async Task The_mode_row_of_an_agent_who_left_its_queue_before_the_cutoff_goes_and_every_other_row_stays()
    {
        // "Unchanged since" is the Table service's own Timestamp, set on the server's clock: the run's clock is put 40
        // days past it.
        var snapshot = QuietSnapshot("cards", 3) with { Agents = [.. QuietSnapshot("cards", 3).Agents.Take(2), new AgentPresence("cards-agent0002", AgentState.LoggedOut)] };
        var decision = new ModePolicy().Decide(new RebalanceInput(snapshot, [], QueueSettings.Default, Time.GetUtcNow()));
        await Modes.ApplyAsync(decision, new Dictionary<string, StoredAgentMode>(), "w1",
            snapshot.Agents.Where(a => a.State.IsStaffed()).Select(a => a.AgentId).ToHashSet(StringComparer.Ordinal));
        await Modes.ApplyAsync(new ModePolicy().Decide(new RebalanceInput(QuietSnapshot("loans", 1), [], QueueSettings.Default, Time.GetUtcNow())),
            new Dictionary<string, StoredAgentMode>(), "w2"); // written without the flag (as before it existed): kept
        Assert.Equal([false, true, true], (await Modes.GetQueueModesAsync("cards")).OrderByDescending(m => m.State.AgentId).Select(m => m.State.Staffed!.Value));

        Assert.Equal(0, (await new RetentionService(Tables, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30))).RunAsync(Policy())).AgentModesRemoved);

        var result = await new RetentionService(Tables, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(40))).RunAsync(Policy());

        Assert.Equal(1, result.AgentModesRemoved);
        Assert.Equal(["cards-agent0000", "cards-agent0001"], (await Modes.GetQueueModesAsync("cards")).Select(m => m.State.AgentId).Order(StringComparer.Ordinal));
        Assert.Single(await Modes.GetQueueModesAsync("loans"));
    }

    [Fact]
    public async Task A_run_stops_at_its_delete_budget_and_the_next_runs_finish_the_work()
    {
        var old = Now.AddDays(-60);
        var calls = new CallProgressStore(Tables, new TelephonyOptions());
        await calls.MergeAsync(Enumerable.Range(0, 250).ToDictionary(i => ("cards", $"call{i:D3}"), _ => new CallProgress(old, null, null, old.AddMinutes(3))));
        var service = new RetentionService(Tables, new FakeTimeProvider(Now));

        var runs = new List<RetentionResult>();
        for (var i = 0; i < 4; i++)
        {
            runs.Add(await service.RunAsync(Policy(maxDeletes: 100)));
        }

        Assert.Equal([100, 100, 50, 0], runs.Select(r => r.CallsRemoved));
        Assert.Equal([false, false, true, true], runs.Select(r => r.Complete));
        Assert.Equal(0, await CountAsync(Tables.Names.Calls));
    }

    [Fact]
    public async Task A_row_written_after_the_run_read_it_is_kept()
    {
        var old = Now.AddDays(-60);
        var calls = new CallProgressStore(Tables, new TelephonyOptions());
        await calls.MergeAsync(Enumerable.Range(0, 5).ToDictionary(i => ("cards", $"call{i}"), _ => new CallProgress(old, null, null, null)));

        // The run reads the old calls and is held; meanwhile call2's end arrives (a new stage, so a new ETag).
        var gate = new RequestGate(RequestGate.QueryOf(Prefix + "Calls"));
        var run = Task.Run(() => new RetentionService(Client(o => o.AddPolicy(gate, HttpPipelinePosition.PerCall)), new FakeTimeProvider(Now)).RunAsync(Policy()));
        await gate.Reached;
        await calls.MergeAsync(new Dictionary<(string, string), CallProgress> { [("cards", "call2")] = new(null, null, null, Now.AddMinutes(-1)) });
        gate.Release();
        var result = await run;

        Assert.Equal(4, result.CallsRemoved);
        Assert.Equal(Now.AddMinutes(-1), (await calls.GetAsync("cards", "call2")).EndedAt);
        Assert.Equal(1, await CountAsync(Tables.Names.Calls));
    }

    [Fact]
    public async Task The_kpi_ledger_and_the_supervision_audit_are_never_deleted()
    {
        var longAgo = Now.AddYears(-3);
        await new KpiLedgerStore(Tables, new KpiRollupStore(Tables), Time).AppendAsync(new LedgerEntry("e1", "alice", "c1", "o1", "sms-alerts", LedgerEntryKind.Outcome, 1, 1, 2.5, longAgo));
        var supervision = new SupervisionStore(Tables);
        await supervision.SaveSettingsAsync("cards", new SupervisorSettings(), null, new AuditEntry("settings", "settings", "sue", longAgo, null, "{}", "initial"));

        await new RetentionService(Tables, new FakeTimeProvider(Now)).RunAsync(Policy(days: 8, offerDays: 1));

        Assert.Equal(1, await CountAsync(Tables.Names.KpiLedger));
        Assert.Single(await supervision.ListAuditAsync("cards", 10));
    }

    [Fact]
    public async Task A_past_due_timer_run_does_the_work_of_the_missed_night()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("old", 2) with { ObservedAt = Time.GetUtcNow().AddDays(-40) });
        var function = new RetentionTimerFunction(new RetentionService(Tables, Time), Microsoft.Extensions.Options.Options.Create(new RetentionOptions()),
            NullLogger<RetentionTimerFunction>.Instance);

        await function.RunAsync(new TimerInfo { IsPastDue = true });
        await function.RunAsync(new TimerInfo { IsPastDue = true });

        Assert.Empty(await Snapshots.ListLatestAsync());
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(35, true)]
    public void The_retention_must_outlast_the_oldest_event_the_webhooks_accept(int days, bool valid)
    {
        var options = new RetentionOptions { Days = days };
        var results = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
    }
}
