using CallBalancer.Core.Kpi;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Kpi;

public sealed class KpiRollupRulesTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int minutes) => Epoch.AddMinutes(minutes);

    [Property(MaxTest = 500)]
    public Property Rolled_days_and_the_ranges_read_partition_the_period_exactly(ushort fromMinutes, ushort lengthMinutes, ushort nowMinutes, int coverMask)
    {
        var from = At(fromMinutes % 20_000);
        var to = from.AddMinutes(1 + lengthMinutes % 20_000);
        var now = At(nowMinutes);
        var rollable = KpiRollupRules.RollableDays(from, to, now);

        // Any subset of the rollable days may have a current roll-up.
        var covered = rollable.Where((_, i) => (coverMask >> (i % 31) & 1) == 1).ToList();
        var ranges = KpiRollupRules.Uncovered(from, to, covered);

        var pieces = ranges.Select(r => (r.From, r.To))
            .Concat(covered.Select(d => (From: KpiRollupRules.StartOf(d), To: KpiRollupRules.EndOf(d))))
            .OrderBy(p => p.From)
            .ToList();
        var contiguous = pieces.Zip(pieces.Skip(1)).All(p => p.First.To == p.Second.From);
        var everyRollableDayEnded = rollable.All(d => KpiRollupRules.EndOf(d) + KpiRollupRules.RollUpAfter <= now
            && KpiRollupRules.StartOf(d) >= from && KpiRollupRules.EndOf(d) <= to);
        var noEmptyRange = ranges.All(r => r.From < r.To);
        return (pieces[0].From == from && pieces[^1].To == to && contiguous && everyRollableDayEnded && noEmptyRange)
            .Label($"from {from:O} to {to:O} now {now:O}: {rollable.Count} rollable, {covered.Count} covered, {ranges.Count} ranges");
    }

    [Property(MaxTest = 300)]
    public Property Every_whole_day_that_ended_a_day_ago_is_rollable(ushort fromMinutes, ushort lengthMinutes, ushort nowMinutes)
    {
        var from = At(fromMinutes % 20_000);
        var to = from.AddMinutes(1 + lengthMinutes % 20_000);
        var now = At(nowMinutes);
        var rollable = KpiRollupRules.RollableDays(from, to, now).ToHashSet();
        var expected = new List<DateOnly>();
        for (var d = KpiRollupRules.DayOf(from); KpiRollupRules.StartOf(d) < to; d = d.AddDays(1))
        {
            if (KpiRollupRules.StartOf(d) >= from && KpiRollupRules.EndOf(d) <= to && KpiRollupRules.CanRollUp(d, now))
            {
                expected.Add(d);
            }
        }

        return rollable.SetEquals(expected).Label($"{rollable.Count} rollable, expected {expected.Count}");
    }

    [Fact]
    public void An_append_marks_stale_exactly_from_the_end_of_its_day()
    {
        var occurred = new DateTimeOffset(2026, 11, 3, 23, 59, 59, TimeSpan.Zero);
        Assert.False(KpiRollupRules.AppendMarksStale(occurred, occurred.AddSeconds(0.5)));
        Assert.True(KpiRollupRules.AppendMarksStale(occurred, occurred.AddSeconds(1)));

        // A day is never rolled up before an append of it would mark it: the roll-up waits a further day.
        var day = KpiRollupRules.DayOf(occurred);
        Assert.False(KpiRollupRules.CanRollUp(day, KpiRollupRules.EndOf(day).AddHours(23.9)));
        Assert.True(KpiRollupRules.CanRollUp(day, KpiRollupRules.EndOf(day).AddHours(24)));
    }

    [Property(MaxTest = 300)]
    public Property A_day_rollup_sums_to_the_entries_per_agent_and_in_total(byte[] seeds)
    {
        var day = new DateOnly(2026, 11, 3);
        var entries = (seeds ?? []).Select((b, i) => new LedgerEntry(
            $"o{i}:outcome", "agent" + (b % 5), "c" + i, "o" + i, "p", b % 7 == 0 ? LedgerEntryKind.Reversal : LedgerEntryKind.Outcome,
            b % 7 == 0 ? 0 : 1, b % 7 == 0 ? -1 : b % 3 == 0 ? 1 : 0, b % 7 == 0 ? -0.1 * (b % 11) : 0.1 * (b % 13),
            KpiRollupRules.StartOf(day).AddSeconds(b * 300 + i))).ToList();
        var rollup = KpiDayRollup.Of(day, entries);
        var start = KpiRollupRules.StartOf(day);
        var whole = KpiCalculator.Summarise(entries, start, KpiRollupRules.EndOf(day), null);
        var fromRollup = KpiCalculator.Report(rollup.Total, start, KpiRollupRules.EndOf(day), null);
        var perAgent = entries.GroupBy(e => e.AgentId).All(g => rollup.ByAgent[g.Key] == KpiTotals.Of(g));
        return (whole == fromRollup && perAgent && rollup.ByAgent.Count == entries.Select(e => e.AgentId).Distinct().Count())
            .Label($"{entries.Count} entries: {whole} against {fromRollup}");
    }

    [Fact]
    public void The_ends_of_the_calendar_do_not_overflow()
    {
        var now = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal([DateOnly.MinValue, DateOnly.MinValue.AddDays(1)], KpiRollupRules.RollableDays(DateTimeOffset.MinValue, DateTimeOffset.MinValue.AddDays(2), now));
        Assert.Empty(KpiRollupRules.RollableDays(DateTimeOffset.MaxValue.AddDays(-3), DateTimeOffset.MaxValue, now));
        Assert.False(KpiRollupRules.CanRollUp(DateOnly.MaxValue, now));
        Assert.False(KpiRollupRules.AppendMarksStale(DateTimeOffset.MaxValue, now));
    }

    [Fact]
    public void A_rollup_refuses_an_entry_of_another_day()
    {
        var day = new DateOnly(2026, 11, 3);
        var late = new LedgerEntry("o1:outcome", "a", "c", "o1", "p", LedgerEntryKind.Outcome, 1, 0, 0, KpiRollupRules.EndOf(day));
        Assert.Throws<ArgumentException>(() => KpiDayRollup.Of(day, [late]));
    }
}
