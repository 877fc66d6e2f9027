namespace CallBalancer.Storage;

/// <summary>What a retention run removed.</summary>
/// <param name="Cutoff">Data older than this was removed.</param>
/// <param name="DroppedTables">Per-month decision tables deleted whole.</param>
/// <param name="SnapshotsRemoved">Latest-snapshot rows of queues silent since before the cut-off.</param>
public sealed record RetentionResult(DateTimeOffset Cutoff, IReadOnlyList<string> DroppedTables, int SnapshotsRemoved);
