namespace CallBalancer.Storage;

/// <summary>The tables the balancer uses, each with the configured prefix.</summary>
public sealed class TableNames(string prefix)
{
    /// <summary>Latest snapshot per queue: PartitionKey = queue id, RowKey = <c>latest</c>.</summary>
    public string Snapshots { get; } = prefix + "Snapshots";

    /// <summary>Current mode per agent: PartitionKey = queue id, RowKey = agent id (one partition per queue, so a queue's flips go in one transaction).</summary>
    public string AgentModes { get; } = prefix + "AgentModes";

    /// <summary>Which queue owns an agent: PartitionKey = agent id, RowKey = <c>queue</c>, for point reads by agent.</summary>
    public string AgentIndex { get; } = prefix + "AgentIndex";

    /// <summary>
    /// The stem of the decision-log tables. The log is one table per calendar month (UTC), <c>{stem}yyyyMM</c>:
    /// PartitionKey = queue id, RowKey = log-tail ticks + decision id (newest first). Retention drops whole tables.
    /// </summary>
    public string Decisions { get; } = prefix + "Decisions";

    /// <summary>The configured prefix (tests clean up every table that starts with it).</summary>
    public string Prefix { get; } = prefix;

    /// <summary>The decision-log table for the month of <paramref name="at"/> (UTC).</summary>
    public string DecisionsFor(DateTimeOffset at) => MonthTable(Decisions, at.UtcDateTime);

    /// <summary>The month a decision-log table holds, or null when the name is not one.</summary>
    public DateTimeOffset? DecisionsMonth(string tableName) => MonthOf(Decisions, tableName);

    /// <summary>The telephony table for the queue-days of <paramref name="day"/>'s month.</summary>
    public string TelephonyIntervalsFor(DateOnly day) => MonthTable(TelephonyIntervals, day.ToDateTime(TimeOnly.MinValue));

    /// <summary>The month a telephony table holds, or null when the name is not one.</summary>
    public DateTimeOffset? TelephonyIntervalsMonth(string tableName) => MonthOf(TelephonyIntervals, tableName);

    private static string MonthTable(string stem, DateTime at) => stem + at.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset? MonthOf(string stem, string tableName)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        return tableName.Length == stem.Length + 6
            && tableName.StartsWith(stem, StringComparison.Ordinal)
            && DateTime.TryParseExact(tableName[stem.Length..], "yyyyMM", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var month)
            ? new DateTimeOffset(month, TimeSpan.Zero)
            : null;
    }

    /// <summary>
    /// Supervisor state per queue, one partition per queue: RowKey <c>settings</c>, <c>override_{id}</c> and
    /// <c>audit_{log-tail}_{id}</c>. Keeping a change and its audit record in one partition lets them commit together
    /// in one entity-group transaction, and the audit reads newest first.
    /// </summary>
    public string Supervision { get; } = prefix + "Supervision";

    /// <summary>Each queue's online forecaster state: PartitionKey = queue id, RowKey = <c>state</c>.</summary>
    public string Forecasts { get; } = prefix + "Forecasts";

    /// <summary>Run bookkeeping such as the last rebalance: PartitionKey = run kind, RowKey = <c>last</c>.</summary>
    public string Runs { get; } = prefix + "Runs";

    /// <summary>
    /// The stem of the telephony tables, one per calendar month (UTC) of the queue-days they hold,
    /// <c>{stem}yyyyMM</c>: PartitionKey = <c>{queueId}|{yyyyMMdd}|{shard}</c>; one row <c>e|{eventId}</c> per event (the
    /// dedupe record) and one summary row <c>s|{HHmm}|{writeId}</c> per interval and transaction holding the counts that
    /// transaction added to that interval, with two columns per agent credited (<c>Hc_{agent}</c> handled calls,
    /// <c>Hs_{agent}</c> handle seconds). Reads sum the summary rows of a queue-day, across shards. This is the table
    /// that grows with every event, so retention drops whole months instead of deleting rows.
    /// </summary>
    public string TelephonyIntervals { get; } = prefix + "TelephonyIntervals";

    /// <summary>
    /// Which queues each agent handled calls in, per UTC month: PartitionKey = <c>yyyyMM</c>, RowKey = <c>{agentId}|{queueId}</c>
    /// (empty rows: the index from an agent to the queue-days holding its interval rows).
    /// </summary>
    public string AgentQueueMonths { get; } = prefix + "AgentQueueMonths";

    /// <summary>What is known of each call: PartitionKey = <c>c{shard}</c>, RowKey = <c>{queueId}|{callId}</c>; one field per stage and the answering agent.</summary>
    public string Calls { get; } = prefix + "Calls";

    /// <summary>Latest presence of each agent from <c>agent.state</c> events: PartitionKey = queue id, RowKey = agent id.</summary>
    public string AgentStates { get; } = prefix + "AgentStates";

    /// <summary>The offer catalogue: PartitionKey = <c>catalogue</c>, RowKey = product id (one partition: a small table read whole).</summary>
    public string Products { get; } = prefix + "Products";

    /// <summary>Customer profiles: PartitionKey = pseudonymous customer id, RowKey = <c>profile</c>.</summary>
    public string Customers { get; } = prefix + "Customers";

    /// <summary>
    /// Offers made and each customer's contact history, one partition per customer: RowKey <c>history</c> (the
    /// ETag-guarded contact history) and <c>rec-{recommendationId}</c> (the offers of one recommendation shown, one entity;
    /// offer ids are <c>{recommendationId}.{0-4}</c>).
    /// </summary>
    public string CustomerOffers { get; } = prefix + "CustomerOffers";

    /// <summary>Learned acceptance counts: PartitionKey = <c>{reason}|{segment}</c>, RowKey = product id (one query per recommendation).</summary>
    public string Propensity { get; } = prefix + "Propensity";

    /// <summary>The append-only KPI ledger: PartitionKey = agent id, RowKey = occurred-at ticks (D19) + entry id, for period range queries.</summary>
    public string KpiLedger { get; } = prefix + "KpiLedger";

    /// <summary>
    /// Each queue's KPI ledger summed per UTC day (a cache of the ledger for long reports): PartitionKey = queue id,
    /// RowKey = <c>yyyyMMdd</c>, with a state (<c>current</c>, <c>building</c> or <c>stale</c>) and the day's totals per agent.
    /// </summary>
    public string KpiDaily { get; } = prefix + "KpiDaily";

    /// <summary>
    /// Every fixed-name table (the per-month decision and telephony tables are found by <see cref="Decisions"/> and
    /// <see cref="TelephonyIntervals"/> as stems).
    /// </summary>
    public IReadOnlyList<string> All =>
        [Snapshots, AgentModes, AgentIndex, Forecasts, Runs, AgentQueueMonths, Calls, AgentStates, Supervision,
         Products, Customers, CustomerOffers, Propensity, KpiLedger, KpiDaily];
}
