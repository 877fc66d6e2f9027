namespace CallBalancer.Core.Kpi;

/// <summary>The sums of some ledger entries: what a report adds up, kept exact (credit in decimal).</summary>
/// <param name="OffersMade">Offers with a recorded answer.</param>
/// <param name="Acceptances">Acceptances net of reversals.</param>
/// <param name="Credit">Weighted credit net of reversals.</param>
/// <param name="LedgerEntries">How many entries were summed.</param>
public readonly record struct KpiTotals(int OffersMade, int Acceptances, decimal Credit, int LedgerEntries)
{
    /// <summary>Nothing summed.</summary>
    public static KpiTotals Zero => default;

    /// <summary>The sums of two disjoint sets of entries.</summary>
    public static KpiTotals operator +(KpiTotals a, KpiTotals b) =>
        new(a.OffersMade + b.OffersMade, a.Acceptances + b.Acceptances, a.Credit + b.Credit, a.LedgerEntries + b.LedgerEntries);

    /// <summary>What one entry counts. Credit in decimal, so that a reversal nets its acceptance to exactly zero whatever the summation order.</summary>
    public static KpiTotals Of(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new KpiTotals(entry.OffersMade, entry.Acceptances, (decimal)entry.Credit, 1);
    }

    /// <summary>The sums of <paramref name="entries"/> (all of them: filter by period first).</summary>
    public static KpiTotals Of(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Sum(entries.Select(Of));
    }

    /// <summary>The sum of several totals.</summary>
    public static KpiTotals Sum(IEnumerable<KpiTotals> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return totals.Aggregate(Zero, (a, b) => a + b);
    }

    /// <summary>
    /// Adds <paramref name="entries"/> to <paramref name="byAgent"/>, per agent credited: the per-agent sums of a day's
    /// roll-up and of a queue report (roll-ups plus the entries of the rest of the period).
    /// </summary>
    public static void AddByAgent(IDictionary<string, KpiTotals> byAgent, IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(byAgent);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var e in entries)
        {
            byAgent[e.AgentId] = byAgent.TryGetValue(e.AgentId, out var t) ? t + Of(e) : Of(e);
        }
    }
}

/// <summary>
/// One UTC day of one ledger partition summed (a queue's day, by agent), so that a long report reads one row per day
/// instead of every entry. A roll-up is a cache of the ledger, never the record: it is written only for a day that
/// ended at least <see cref="KpiRollupRules.RollUpAfter"/> ago, and an entry appended to a day that has ended marks the
/// day's roll-up stale, so a report either uses a roll-up that holds every entry of its day or reads the entries.
/// </summary>
/// <param name="Day">The UTC day summed.</param>
/// <param name="ByAgent">The day's totals per agent credited (agents with no entry that day are absent).</param>
public sealed record KpiDayRollup(DateOnly Day, IReadOnlyDictionary<string, KpiTotals> ByAgent)
{
    /// <summary>The day's totals over every agent.</summary>
    public KpiTotals Total => KpiTotals.Sum(ByAgent.Values);

    /// <summary>The roll-up of <paramref name="entries"/>, every one of which must have occurred on <paramref name="day"/> (UTC).</summary>
    public static KpiDayRollup Of(DateOnly day, IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        if (list.FirstOrDefault(e => KpiRollupRules.DayOf(e.OccurredAt) != day) is { } stray)
        {
            throw new ArgumentException($"Entry {stray.EntryId} occurred on {KpiRollupRules.DayOf(stray.OccurredAt):yyyy-MM-dd}, not {day:yyyy-MM-dd}.", nameof(entries));
        }

        var byAgent = new SortedDictionary<string, KpiTotals>(StringComparer.Ordinal);
        KpiTotals.AddByAgent(byAgent, list);

        return new KpiDayRollup(day, byAgent);
    }
}

/// <summary>When a day may be rolled up, when an append must mark a roll-up stale, and how a period splits into both.</summary>
public static class KpiRollupRules
{
    /// <summary>
    /// A day is rolled up only once it ended this long ago. An append whose day has ended (by its own clock) marks the
    /// roll-up stale, so this margin only has to cover clocks between instances and an append still in flight.
    /// </summary>
    public static readonly TimeSpan RollUpAfter = TimeSpan.FromHours(24);

    /// <summary>The UTC day of an instant.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>The first instant after <paramref name="day"/> (UTC).</summary>
    public static DateTimeOffset EndOf(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The first instant of <paramref name="day"/> (UTC).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>True when <paramref name="day"/> may be rolled up at <paramref name="now"/>.</summary>
    /// <remarks>A day before today's always has a next day, so the last day of the calendar never overflows here.</remarks>
    public static bool CanRollUp(DateOnly day, DateTimeOffset now) => day < DayOf(now) && now >= EndOf(day) + RollUpAfter;

    /// <summary>
    /// True when an entry that occurred at <paramref name="occurredAt"/>, appended at <paramref name="now"/>, must mark its
    /// day's roll-up stale: its day has ended, so a roll-up of it may exist or be in progress.
    /// </summary>
    public static bool AppendMarksStale(DateTimeOffset occurredAt, DateTimeOffset now) => DayOf(now) > DayOf(occurredAt);

    /// <summary>
    /// The whole UTC days inside <c>[from, to)</c> that may be rolled up at <paramref name="now"/>: a report reads their
    /// roll-ups (where they exist and are current) and the entries of the rest of the period.
    /// </summary>
    public static IReadOnlyList<DateOnly> RollableDays(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var days = new List<DateOnly>();
        var first = DayOf(from);
        if (StartOf(first) < from)
        {
            first = first.AddDays(1);
        }

        for (var d = first; CanRollUp(d, now) && EndOf(d) <= to; d = d.AddDays(1))
        {
            days.Add(d);
        }

        return days;
    }

    /// <summary>
    /// The parts of <c>[from, to)</c> not covered by <paramref name="covered"/> (whole days inside the period), in order:
    /// the ranges whose entries a report reads.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Uncovered(DateTimeOffset from, DateTimeOffset to, IEnumerable<DateOnly> covered)
    {
        ArgumentNullException.ThrowIfNull(covered);
        var ranges = new List<(DateTimeOffset, DateTimeOffset)>();
        var cursor = from;
        foreach (var day in covered.Distinct().Order())
        {
            var (start, end) = (StartOf(day), EndOf(day));
            if (start < from || end > to)
            {
                throw new ArgumentException($"{day:yyyy-MM-dd} is not a whole day inside the period.", nameof(covered));
            }

            if (start > cursor)
            {
                ranges.Add((cursor, start));
            }

            cursor = end;
        }

        if (cursor < to)
        {
            ranges.Add((cursor, to));
        }

        return ranges;
    }
}
