namespace CallBalancer.Storage;

/// <summary>What a retention run removed.</summary>
/// <param name="Cutoff">Operational data older than this was removed.</param>
/// <param name="OfferCutoff">Offers made before this were removed.</param>
/// <param name="DroppedTables">Per-month decision and telephony tables deleted whole.</param>
/// <param name="SnapshotsRemoved">Latest-snapshot rows of queues silent since before the cut-off.</param>
/// <param name="CallsRemoved">Call records whose every known stage is older than the cut-off.</param>
/// <param name="OffersRemoved">Rows of offers shown (one per recommendation) made before the offer cut-off.</param>
/// <param name="Complete">False when the run stopped at its delete budget; the next run goes on where it stopped.</param>
/// <param name="AgentStatesRemoved">Agents' latest presence in a queue, last heard of before the cut-off.</param>
/// <param name="AgentModesRemoved">Mode rows of agents no longer staffed in their queue whose row has not changed since before the cut-off.</param>
public sealed record RetentionResult(
    DateTimeOffset Cutoff,
    DateTimeOffset OfferCutoff,
    IReadOnlyList<string> DroppedTables,
    int SnapshotsRemoved,
    int CallsRemoved,
    int OffersRemoved,
    bool Complete,
    int AgentStatesRemoved = 0,
    int AgentModesRemoved = 0);
