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

    /// <summary>Every table, for creation at start-up and clean-up in tests.</summary>
    public IReadOnlyList<string> All => [Snapshots, AgentModes, AgentIndex, Decisions, Runs];
}
