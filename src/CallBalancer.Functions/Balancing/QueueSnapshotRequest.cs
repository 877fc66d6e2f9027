namespace CallBalancer.Functions.Balancing;

/// <summary>The wire shape of <c>POST /api/queues/{queueId}/snapshot</c>. Every member is nullable so a missing field is reported by name.</summary>
internal sealed class QueueSnapshotRequest
{
    public DateTimeOffset? ObservedAt { get; set; }

    public int? WaitingCalls { get; set; }

    public double? OldestWaitSeconds { get; set; }

    public List<AgentPresenceRequest?>? Agents { get; set; }
}
