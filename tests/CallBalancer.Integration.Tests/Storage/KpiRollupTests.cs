using Azure.Data.Tables;
using CallBalancer.Core.Kpi;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions;
using CallBalancer.Functions.Maintenance;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Storage;

/// <summary>
/// The KPI roll-up on Azurite, on a fake clock (2026-11-28 10:00 UTC): a queue report with day roll-ups equals the sum of
/// the ledger's entries, before and after late answers, and a late answer during a roll-up is never lost.
/// </summary>
public sealed class KpiRollupTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private static readonly DateOnly Nov20 = new(2026, 11, 20);

    private KpiRollupStore Rollups => new(Tables);

    private KpiLedgerStore Ledger => new(Tables, Rollups, Time);

    private KpiRollupService Service => new(Snapshots, Ledger, Rollups, Time);

    private KpiService Kpi => new(Ledger, Rollups, Modes,
        new StoredCallFacts(new IntervalStore(Tables, new TelephonyOptions()), new AgentQueueMonthStore(Tables)), Time);

    private static LedgerEntry Entry(int i, string agentId, DateTimeOffset at, int kind, string queueId = "cards") => kind switch
    {
        // 0 declined, 1 accepted, 2 a reversal of an acceptance.
        0 => new LedgerEntry($"o{i}:outcome", agentId, "c" + i, "o" + i, "p", LedgerEntryKind.Outcome, 1, 0, 0, at) { QueueId = queueId },
        1 => new LedgerEntry($"o{i}:outcome", agentId, "c" + i, "o" + i, "p", LedgerEntryKind.Outcome, 1, 1, 0.1 * (1 + i % 7), at) { QueueId = queueId },
        _ => new LedgerEntry($"o{i}:reversal", agentId, "c" + i, "o" + i, "p", LedgerEntryKind.Reversal, 0, -1, -0.1 * (1 + i % 7), at) { QueueId = queueId },
    };

    private static void AssertSameAsEntries(QueueKpiReport? report, IEnumerable<LedgerEntry> all, DateTimeOffset from, DateTimeOffset to)
    {
        Assert.NotNull(report);
        var inPeriod = all.Where(e => e.OccurredAt >= from && e.OccurredAt < to).ToList();
        var expected = KpiCalculator.Summarise(inPeriod, from, to, null);
        Assert.Equal((expected.OffersMade, expected.Acceptances, expected.WeightedCredit, expected.LedgerEntries),
            (report.Report.OffersMade, report.Report.Acceptances, report.Report.WeightedCredit, report.Report.LedgerEntries));
        foreach (var group in inPeriod.GroupBy(e => e.AgentId))
        {
            var mine = KpiCalculator.Summarise(group, from, to, null);
            var got = Assert.Single(report.Agents, a => a.AgentId == group.Key).Report;
            Assert.Equal((mine.OffersMade, mine.Acceptances, mine.WeightedCredit, mine.LedgerEntries),
                (got.OffersMade, got.Acceptances, got.WeightedCredit, got.LedgerEntries));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Queue_reports_equal_the_entries_with_rollups_before_and_after_late_answers(int seed)
    {
        var random = new Random(seed);
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        await Snapshots.SaveLatestAsync(QuietSnapshot("loans", 2));
        var start = new DateTimeOffset(2026, 11, 8, 0, 0, 0, TimeSpan.Zero);
        var all = new List<LedgerEntry>();
        async Task<List<LedgerEntry>> AppendAsync(int count)
        {
            var added = new List<LedgerEntry>();
            for (var n = 0; n < count; n++)
            {
                var at = start.AddSeconds(random.NextDouble() * (Time.GetUtcNow() - start).TotalSeconds);
                var entry = Entry(all.Count, "agent" + random.Next(6), at, random.Next(3), random.Next(5) == 0 ? "loans" : "cards");
                await Ledger.AppendAsync(entry);
                all.Add(entry);
                added.Add(entry);
            }

            return added;
        }

        var cards = () => all.Where(e => e.QueueId == "cards");
        await AppendAsync(250);
        var first = await Service.RunAsync(days: 30, maxDays: 1000);
        Assert.True(first.Complete);
        Assert.Equal(2 * 30, first.DaysRolledUp);
        Assert.Equal(new DateOnly(2026, 11, 26), first.LastDay);

        // Late answers, to days already rolled up among others.
        var late = await AppendAsync(30);
        async Task CheckPeriodsAsync()
        {
            var whole = (From: start.AddDays(-1), To: Time.GetUtcNow().AddHours(1));
            AssertSameAsEntries(await Kpi.QueueReportAsync("cards", whole.From, whole.To), cards(), whole.From, whole.To);
            for (var k = 0; k < 8; k++)
            {
                var from = start.AddHours(random.Next(0, 21 * 24)).AddMinutes(k % 2 == 0 ? 0 : random.Next(60));
                var to = from.AddHours(random.Next(1, 15 * 24));
                AssertSameAsEntries(await Kpi.QueueReportAsync("cards", from, to), cards(), from, to);
            }
        }

        await CheckPeriodsAsync();

        // The next run rolls up only the days the late answers made stale.
        var staleDays = late.Select(e => (e.QueueId, Day: KpiRollupRules.DayOf(e.OccurredAt))).Where(d => d.Day <= first.LastDay).Distinct().Count();
        var second = await Service.RunAsync(days: 30, maxDays: 1000);
        Assert.True(second.Complete);
        Assert.True(staleDays > 0);
        Assert.Equal(staleDays, second.DaysRolledUp);
        Assert.Equal(0, (await Service.RunAsync(days: 30, maxDays: 1000)).DaysRolledUp);
        await CheckPeriodsAsync();
    }

    [Fact]
    public async Task A_queue_whose_roll_up_fails_does_not_stop_the_others_and_the_run_says_which_failed()
    {
        // "a-bad" sorts first; before, its failure ended the run and no queue after it was rolled up, every night.
        await Snapshots.SaveLatestAsync(QuietSnapshot("a-bad", 2));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        var noon = KpiRollupRules.StartOf(Nov20).AddHours(12);
        await Ledger.AppendAsync(Entry(1, "alice", noon, 1, queueId: "a-bad"));
        await Ledger.AppendAsync(Entry(2, "alice", noon, 1));
        var failing = Client(o => o.AddPolicy(new FailingRequests("a-bad", 500), Azure.Core.HttpPipelinePosition.PerCall));
        var rollups = new KpiRollupStore(failing);

        var failure = await Assert.ThrowsAsync<AggregateException>(() =>
            new KpiRollupService(new SnapshotStore(failing), new KpiLedgerStore(failing, rollups, Time), rollups, Time).RunAsync(days: 10, maxDays: 100));

        Assert.Contains("'a-bad'", Assert.Single(failure.InnerExceptions).Message, StringComparison.Ordinal);
        Assert.Contains(Nov20, await Rollups.GetCurrentDaysAsync("cards", Nov20, Nov20));
    }

    [Fact]
    public async Task A_report_takes_a_current_day_from_its_rollup_and_a_stale_one_from_the_entries()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        var noon = KpiRollupRules.StartOf(Nov20).AddHours(12);
        for (var i = 0; i < 5; i++)
        {
            await Ledger.AppendAsync(Entry(i, "alice", noon.AddMinutes(i), 1));
        }

        await Service.RunAsync(days: 10, maxDays: 100);

        // Remove the day's entries behind the ledger's back: a report that still counts them read the roll-up.
        var table = Tables.GetExisting(Tables.Names.KpiLedger);
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == "queue|cards"))
        {
            await table.DeleteEntityAsync(e.PartitionKey, e.RowKey);
        }

        var (from, to) = (KpiRollupRules.StartOf(Nov20), KpiRollupRules.EndOf(Nov20));
        var rolled = await Kpi.QueueReportAsync("cards", from, to);
        Assert.Equal((5, 5), (rolled!.Report.OffersMade, rolled.Report.LedgerEntries));
        Assert.Equal(5, Assert.Single(rolled.Agents, a => a.AgentId == "alice").Report.OffersMade);

        // A part of the day is never taken from the roll-up: read from the entries, nothing is recorded there now.
        Assert.Null(await Kpi.QueueReportAsync("cards", from, to.AddHours(-1)));

        // A late answer marks the day stale: the report reads the day's entries again (here, only the late one is left).
        await Ledger.AppendAsync(Entry(99, "bob", noon.AddHours(3), 0));
        var stale = await Kpi.QueueReportAsync("cards", from, to);
        Assert.Equal((1, 1), (stale!.Report.OffersMade, stale.Report.LedgerEntries));
    }

    [Fact]
    public async Task An_answer_appended_while_its_day_is_rolled_up_is_never_lost()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        var noon = KpiRollupRules.StartOf(Nov20).AddHours(12);
        await Ledger.AppendAsync(Entry(1, "alice", noon, 1));

        // The roll-up reads the day, then a late answer lands before the roll-up writes its totals.
        var (from, to) = (KpiRollupRules.StartOf(Nov20), KpiRollupRules.EndOf(Nov20));
        var written = await Rollups.RollUpAsync("cards", Nov20, async ct =>
        {
            var read = await Ledger.GetQueueAsync("cards", from, to, ct);
            await Ledger.AppendAsync(Entry(2, "bob", noon.AddHours(1), 1), ct);
            return read;
        });

        Assert.False(written);
        Assert.Equal(2, (await Kpi.QueueReportAsync("cards", from, to))!.Report.OffersMade);
        Assert.Empty(await Rollups.GetCurrentAsync("cards", Nov20, Nov20));

        // The next run rolls the day up with both answers.
        await Service.RunAsync(days: 10, maxDays: 100);
        var rollup = Assert.Single(await Rollups.GetCurrentAsync("cards", Nov20, Nov20)).Value;
        Assert.Equal(2, rollup.Total.OffersMade);
        Assert.Equal(["alice", "bob"], rollup.ByAgent.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_rollup_that_dies_midway_leaves_the_day_read_from_its_entries_until_the_next_run()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        var noon = KpiRollupRules.StartOf(Nov20).AddHours(12);
        await Ledger.AppendAsync(Entry(1, "alice", noon, 1));
        await Ledger.AppendAsync(Entry(2, "bob", noon.AddMinutes(1), 0));

        // The process dies after marking the day as building (storage down, instance recycled): nothing current is left.
        await Assert.ThrowsAsync<TimeoutException>(() => Rollups.RollUpAsync("cards", Nov20, _ => throw new TimeoutException("storage went away")));
        Assert.Empty(await Rollups.GetCurrentAsync("cards", Nov20, Nov20));
        var (from, to) = (KpiRollupRules.StartOf(Nov20), KpiRollupRules.EndOf(Nov20));
        Assert.Equal(2, (await Kpi.QueueReportAsync("cards", from, to))!.Report.OffersMade);

        var next = await Service.RunAsync(days: 10, maxDays: 100);
        Assert.Equal(10, next.DaysRolledUp);
        Assert.Equal(2, (await Rollups.GetCurrentAsync("cards", Nov20, Nov20))[Nov20].Total.OffersMade);
    }

    [Fact]
    public async Task A_run_stops_at_its_budget_and_the_next_one_continues()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        var first = await Service.RunAsync(days: 8, maxDays: 5);
        Assert.False(first.Complete);
        Assert.Equal(5, first.DaysRolledUp);
        var second = await Service.RunAsync(days: 8, maxDays: 5);
        Assert.True(second.Complete);
        Assert.Equal(3, second.DaysRolledUp);
        Assert.Equal(8, (await Rollups.GetCurrentDaysAsync("cards", first.FirstDay, first.LastDay)).Count);
    }

    [Fact]
    public async Task A_day_is_not_rolled_up_until_it_ended_a_day_ago_and_reads_create_no_table()
    {
        // No table yet: reading roll-ups neither fails nor creates it.
        Assert.Empty(await Rollups.GetCurrentAsync("cards", Nov20, Nov20));
        var names = new List<string>();
        await foreach (var t in Tables.Service.QueryAsync(t => t.Name == Tables.Names.KpiDaily))
        {
            names.Add(t.Name);
        }

        Assert.Empty(names);

        // 2026-11-28 10:00: the 27th ended 10 hours ago, so the newest day rolled up is the 26th.
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        var result = await Service.RunAsync(days: 3, maxDays: 100);
        Assert.Equal((new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 26)), (result.FirstDay, result.LastDay));
        Time.Advance(TimeSpan.FromHours(14));
        Assert.Equal(new DateOnly(2026, 11, 27), (await Service.RunAsync(days: 3, maxDays: 100)).LastDay);
    }

    [Fact]
    public async Task Periods_at_the_ends_of_the_calendar_are_read_without_overflowing()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        await Ledger.AppendAsync(Entry(1, "alice", KpiRollupRules.StartOf(Nov20).AddHours(9), 1));
        Assert.Null(await Kpi.QueueReportAsync("cards", DateTimeOffset.MinValue, DateTimeOffset.MinValue.AddDays(2)));
        Assert.Null(await Kpi.QueueReportAsync("cards", DateTimeOffset.MaxValue.AddDays(-2), DateTimeOffset.MaxValue));
        Assert.Equal(1, (await Kpi.QueueReportAsync("cards", KpiRollupRules.StartOf(Nov20), KpiRollupRules.EndOf(Nov20)))!.Report.OffersMade);
    }

    [Fact]
    public async Task The_timer_function_rolls_up_every_queue_with_a_snapshot()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 2));
        await Snapshots.SaveLatestAsync(QuietSnapshot("loans", 2));
        await Ledger.AppendAsync(Entry(1, "alice", KpiRollupRules.StartOf(Nov20).AddHours(9), 1, "loans"));
        var function = new KpiRollupTimerFunction(Service, Microsoft.Extensions.Options.Options.Create(new KpiRollupOptions { Days = 10 }),
            NullLogger<KpiRollupTimerFunction>.Instance);

        await function.RunAsync(new TimerInfo());

        Assert.Equal(10, (await Rollups.GetCurrentDaysAsync("cards", Nov20.AddDays(-3), Nov20.AddDays(6))).Count);
        Assert.Equal(1, (await Rollups.GetCurrentAsync("loans", Nov20, Nov20))[Nov20].ByAgent["alice"].OffersMade);
    }
}
