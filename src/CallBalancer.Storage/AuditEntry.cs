using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>One record of the append-only supervisor audit: who changed what, when, from what to what, and why.</summary>
/// <param name="Kind"><c>settings</c>, <c>override-set</c>, <c>override-cleared</c> or <c>product</c>.</param>
/// <param name="Subject">What changed: <c>settings</c>, the override id or the product id.</param>
/// <param name="Who">The supervisor's name from the authentication principal.</param>
/// <param name="At">When.</param>
/// <param name="OldJson">The value before, as JSON; null when there was none (defaults, or no override).</param>
/// <param name="NewJson">The value after, as JSON; null when removed.</param>
/// <param name="Reason">The supervisor's reason.</param>
public sealed record AuditEntry(string Kind, string Subject, string Who, DateTimeOffset At, string? OldJson, string? NewJson, string Reason)
{
    /// <summary>
    /// The insert of this record as a row of <paramref name="partition"/> whose RowKey is <paramref name="prefix"/> and
    /// a tail that sorts newest first, for the transaction that makes the change it records (all or nothing).
    /// </summary>
    internal TableTransactionAction ToAction(string partition, string prefix) =>
        new(TableTransactionActionType.Add, new TableEntity(partition, prefix + TableKeys.LogTail(At) + "_" + Guid.NewGuid().ToString("N")[..12])
        {
            ["Kind"] = Kind,
            ["Subject"] = Subject,
            ["Who"] = Who,
            ["At"] = At,
            ["OldJson"] = OldJson,
            ["NewJson"] = NewJson,
            ["Reason"] = Reason,
        });

    /// <summary>
    /// The newest <paramref name="take"/> records of <paramref name="partition"/> written with <paramref name="prefix"/>,
    /// newest first (one query), after the page that ended at <paramref name="continuation"/> (null: from the newest);
    /// the page's continuation (its last record's RowKey) when there may be more, else null.
    /// </summary>
    internal static async Task<(IReadOnlyList<AuditEntry> Entries, string? Continuation)> ListAsync(
        TableClient table, string partition, string prefix, int take, string? continuation, CancellationToken cancellationToken)
    {
        var result = new List<AuditEntry>();
        var end = prefix[..^1] + (char)(prefix[^1] + 1); // the first key past every key with the prefix
        var from = continuation ?? prefix;
        string? last = null;
        await foreach (var e in table.QueryAsync<TableEntity>(
            x => x.PartitionKey == partition && x.RowKey.CompareTo(from) > 0 && x.RowKey.CompareTo(end) < 0,
            maxPerPage: Math.Clamp(take, 1, 1000), cancellationToken: cancellationToken))
        {
            result.Add(new AuditEntry(
                e.GetString("Kind") ?? string.Empty,
                e.GetString("Subject") ?? string.Empty,
                e.GetString("Who") ?? string.Empty,
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
                e.GetString("OldJson"),
                e.GetString("NewJson"),
                e.GetString("Reason") ?? string.Empty));
            last = e.RowKey;
            if (result.Count >= take)
            {
                break;
            }
        }

        return (result, result.Count >= take ? last : null);
    }

    /// <summary>
    /// True when <paramref name="continuation"/> can be a page end of the records written with <paramref name="prefix"/>:
    /// the prefix, then the newest-first tail of <see cref="ToAction"/>.
    /// </summary>
    internal static bool IsContinuation(string continuation, string prefix) =>
        continuation.Length <= prefix.Length + 40 && continuation.StartsWith(prefix, StringComparison.Ordinal)
        && continuation.AsSpan(prefix.Length).IndexOfAnyExcept("0123456789abcdef_") < 0;
}
