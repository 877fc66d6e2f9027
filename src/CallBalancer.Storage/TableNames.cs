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

    /// <summary>Decision log: PartitionKey = queue id, RowKey = log-tail ticks + decision id (newest first).</summary>
    public string Decisions { get; } = prefix + "Decisions";

    /// <summary>Run bookkeeping such as the last rebalance: PartitionKey = run kind, RowKey = <c>last</c>.</summary>
    public string Runs { get; } = prefix + "Runs";

    /// <summary>
    /// Telephony events per queue and day: PartitionKey = <c>{queueId}|{yyyyMMdd}|{shard}</c>; one row <c>e|{eventId}</c>
    /// per event (the dedupe record) and one summary row <c>s|{HHmm}|{writeId}</c> per interval and transaction holding
    /// the counts that transaction added to that interval. Reads sum the summary rows of a queue-day, across shards.
    /// </summary>
    public string TelephonyIntervals { get; } = prefix + "TelephonyIntervals";

    /// <summary>What is known of each call: PartitionKey = <c>c{shard}</c>, RowKey = <c>{queueId}|{callId}</c>; one field per stage.</summary>
    public string Calls { get; } = prefix + "Calls";

    /// <summary>Latest presence of each agent from <c>agent.state</c> events: PartitionKey = queue id, RowKey = agent id.</summary>
    public string AgentStates { get; } = prefix + "AgentStates";

    /// <summary>Every table, for creation at start-up and clean-up in tests.</summary>
    public IReadOnlyList<string> All => [Snapshots, AgentModes, AgentIndex, Decisions, Runs, TelephonyIntervals, Calls, AgentStates];
}
