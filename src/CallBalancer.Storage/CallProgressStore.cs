using Azure.Data.Tables;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>
/// What is known of each call (<see cref="CallProgress"/>): PartitionKey = <c>c{shard}</c> (calls of every queue, split
/// into <see cref="TelephonyOptions.ShardCount"/> shards by a stable hash of the call id), RowKey = <c>{queueId}|{callId}</c>,
/// one property per stage. Writes are merge-upserts of the stages a batch knows, so they need no read and no ETag:
/// stages are independent, so any order of events and any number of replays give the same record, and the call's
/// stage (the furthest known) never moves back. A batch's calls go in entity-group transactions per partition. The
/// answering agent (<c>AnsweredBy</c>) is written with the answer instant it came with, so the two always agree.
/// </summary>
public sealed class CallProgressStore(CallBalancerTables tables, TelephonyOptions options)
{
    private static readonly string[] StageProperties = ["ArrivedAt", "AnsweredAt", "AnsweredBy", "AbandonedAt", "EndedAt"];

    private readonly RecentCalls _recent = new();

    /// <summary>The partition of a call.</summary>
    public string PartitionOf(string queueId, string callId) => $"c{TableKeys.Shard(queueId + "|" + callId, options.ShardCount):D2}";

    private static string RowOf(string queueId, string callId) => $"{queueId}|{callId}";

    /// <summary>Merges what a batch learnt about its calls (keyed by queue and call id), one transaction per partition and 100 calls.</summary>
    public async Task MergeAsync(IReadOnlyDictionary<(string QueueId, string CallId), CallProgress> calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            return;
        }

        // Remembered before the writes, so that a concurrent batch on this instance can use what this one knows (the
        // events happened whether or not this write succeeds; if it fails, the platform re-sends them).
        _recent.Remember(calls);
        var table = await tables.GetAsync(tables.Names.Calls, cancellationToken);
        var chunks = calls
            .GroupBy(c => PartitionOf(c.Key.QueueId, c.Key.CallId), StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(AgentModeStore.MaxTransactionSize))
            .ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var actions = chunk.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertMerge, ToEntity(c.Key.QueueId, c.Key.CallId, c.Value)));
                await table.SubmitTransactionAsync(actions, ct);
            });
    }

    /// <summary>
    /// What this instance received lately for a call (merged, or being merged by a concurrent batch), or null: a
    /// shortcut that saves reading the call back; it may know less than the stored record.
    /// </summary>
    public CallProgress? FindRecent(string queueId, string callId) => _recent.Find(queueId, callId);

    /// <summary>What is stored of one call (<see cref="CallProgress.Unknown"/> when nothing is).</summary>
    public async Task<CallProgress> GetAsync(string queueId, string callId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tables.Names.Calls, cancellationToken);
        var e = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(queueId, callId), RowOf(queueId, callId), StageProperties, cancellationToken);
        return e.HasValue
            ? new CallProgress(e.Value!.GetDateTimeOffset("ArrivedAt"), e.Value.GetDateTimeOffset("AnsweredAt"), e.Value.GetDateTimeOffset("AbandonedAt"), e.Value.GetDateTimeOffset("EndedAt"))
            {
                AnsweredBy = e.Value.GetString("AnsweredBy") is { Length: > 0 } agent ? agent : null,
            }
            : CallProgress.Unknown;
    }

    private TableEntity ToEntity(string queueId, string callId, CallProgress p)
    {
        // Only the stages this batch knows: a merge leaves the others as stored.
        var e = new TableEntity(PartitionOf(queueId, callId), RowOf(queueId, callId));
        if (p.ArrivedAt is { } a)
        {
            e["ArrivedAt"] = a;
        }

        if (p.AnsweredAt is { } b)
        {
            e["AnsweredAt"] = b;

            // Empty, not absent, when unknown: a merge must not leave another answer's agent beside this instant.
            e["AnsweredBy"] = p.AnsweredBy ?? string.Empty;
        }

        if (p.AbandonedAt is { } c)
        {
            e["AbandonedAt"] = c;
        }

        if (p.EndedAt is { } d)
        {
            e["EndedAt"] = d;
        }

        return e;
    }
}
