using System.Text.Json;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// The decision log's outbox: a row in the queue's <c>AgentModes</c> partition that carries the decision's log record,
/// written in the same entity-group transaction as the first of its mode changes; each later transaction of the decision
/// (more than 99 changes) moves the row's count of written changes on, in the same transaction. The modes and the log
/// are in different tables, so no transaction spans them; the outbox row does not need one. When the log write follows,
/// the row is deleted. When the writer dies between the two (a crash, a host recycled mid-run), the row stays, and the
/// next rebalance of the queue that finds it older than <see cref="RecoverAfter"/> appends the record to the log with
/// exactly the changes that were written (the first <c>WrittenChanges</c>, in the order they were written) and deletes
/// the row. The grace leaves a writer that is only slow (its second transaction still in flight) to log its own
/// decision: the log is append-only, so whoever appends first decides what the record says.
/// </summary>
/// <remarks>
/// RowKeys start with <see cref="Prefix"/>: '~' is not allowed in agent ids (<see cref="TableKeys.IsValidId"/>), so an
/// outbox row can never be taken for an agent, and it sorts after every agent of the partition.
/// </remarks>
public static class DecisionOutbox
{
    /// <summary>The RowKey prefix of outbox rows.</summary>
    public const string Prefix = "~outbox_";

    /// <summary>
    /// How old an outbox row must be before another run recovers it: far longer than a unit of work with its retries
    /// (seconds), so only a writer that is gone leaves one this old.
    /// </summary>
    public static readonly TimeSpan RecoverAfter = TimeSpan.FromMinutes(2);

    /// <summary>True for the RowKey of an outbox row (not an agent).</summary>
    public static bool IsOutboxRow(string rowKey) => rowKey.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The outbox row of a decision whose first transaction writes <paramref name="writtenChanges"/> changes.</summary>
    internal static TableEntity Entry(ModeDecision decision, int writtenChanges)
    {
        var log = DecisionStore.ToEntity(decision);
        var entry = CopyOf(log, decision.QueueId, Prefix + decision.DecisionId);
        entry["LogRowKey"] = log.RowKey;
        entry["WrittenChanges"] = writtenChanges;
        return entry;
    }

    /// <summary>The merge a later transaction of the decision makes to its outbox row: the changes written so far.</summary>
    internal static TableEntity Progress(ModeDecision decision, int writtenChanges) =>
        new(decision.QueueId, Prefix + decision.DecisionId) { ["WrittenChanges"] = writtenChanges };

    /// <summary>
    /// The log record an outbox row stands for, with only the changes that were written (the decision's changes are
    /// written in their order, so they are the first <see cref="PendingDecisionLog.WrittenChanges"/>). The record says when it
    /// was recovered (<see cref="DecisionRecord.RecoveredAt"/>), so the log shows that it was written late.
    /// </summary>
    internal static TableEntity ToLogEntity(PendingDecisionLog pending, DateTimeOffset recoveredAt)
    {
        var source = pending.Entry;
        var log = CopyOf(source, source.PartitionKey, source.GetString("LogRowKey"), "LogRowKey", "WrittenChanges");
        log["ChangeCount"] = pending.WrittenChanges;
        log["RecoveredAt"] = recoveredAt;
        DecisionStore.SetChanges(log, DecisionStore.ChangesOf(source).Take(pending.WrittenChanges).ToList());
        return log;
    }

    /// <summary>A new entity with <paramref name="source"/>'s own properties (not its keys, ETag or timestamp, nor <paramref name="skip"/>).</summary>
    private static TableEntity CopyOf(TableEntity source, string partitionKey, string rowKey, params string[] skip)
    {
        var copy = new TableEntity(partitionKey, rowKey);
        foreach (var (key, value) in source)
        {
            if (key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp") && !skip.Contains(key))
            {
                copy[key] = value;
            }
        }

        return copy;
    }
}

/// <summary>An outbox row found in a queue's modes partition: a decision whose log record may not have been written.</summary>
/// <param name="DecisionId">The decision.</param>
/// <param name="DecidedAt">When it was decided (the row's age is judged from it).</param>
/// <param name="WrittenChanges">How many of its changes (the first, in order) its transactions wrote.</param>
/// <param name="Entry">The stored row.</param>
public sealed record PendingDecisionLog(string DecisionId, DateTimeOffset DecidedAt, int WrittenChanges, TableEntity Entry);
