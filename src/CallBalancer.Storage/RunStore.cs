using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>Bookkeeping of scheduled runs (PartitionKey = run kind, RowKey = <c>last</c>): when the last rebalance finished and what it did.</summary>
public sealed class RunStore(CallBalancerTables tables)
{
    private const string RebalanceKind = "rebalance";
    private const string LastRowKey = "last";
    private const string FailingRowKey = "failing";

    /// <summary>A streak not extended for this long is forgotten (the queue was removed, or succeeded elsewhere unseen).</summary>
    public static readonly TimeSpan ForgetFailuresAfter = TimeSpan.FromMinutes(10);

    /// <summary>Records a finished rebalance run (an upsert: bookkeeping, not a transition).</summary>
    public async Task RecordRebalanceAsync(RebalanceRunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = new TableEntity(RebalanceKind, LastRowKey)
        {
            ["StartedAt"] = run.StartedAt,
            ["CompletedAt"] = run.CompletedAt,
            ["Queues"] = run.Queues,
            ["Flips"] = run.Flips,
            ["Failures"] = run.Failures,
        };
        await tables.ExecuteAsync(tables.Names.Runs, (table, ct) => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct), cancellationToken);
    }

    /// <summary>The last recorded rebalance run with the queues failing now, or null when none has run.</summary>
    public async Task<RebalanceRunSummary?> GetLastRebalanceAsync(CancellationToken cancellationToken = default)
    {
        // Both rows of the partition in one request: the desktops' cached check stays one read per refresh.
        var table = await tables.GetAsync(tables.Names.Runs, cancellationToken);
        TableEntity? v = null;
        IReadOnlyDictionary<string, QueueFailure> failing = new Dictionary<string, QueueFailure>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RebalanceKind} and (RowKey eq {LastRowKey} or RowKey eq {FailingRowKey})");
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (e.RowKey == LastRowKey)
                {
                    v = e;
                }
                else
                {
                    failing = ReadFailing(e);
                }
            }
        }
        catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
        {
            // As a point read's 404: no run recorded (a storage account emptied under a running host).
            return null;
        }

        if (v is null)
        {
            return null;
        }

        return new RebalanceRunSummary(
            v.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
            v.GetDateTimeOffset("CompletedAt") ?? DateTimeOffset.MinValue,
            v.GetInt32("Queues") ?? 0,
            v.GetInt32("Flips") ?? 0,
            v.GetInt32("Failures") ?? 0) { FailingQueues = failing };
    }

    /// <summary>The queues whose rebalance is failing (one row for all, written only when a streak starts, goes on or ends).</summary>
    public async Task<IReadOnlyDictionary<string, QueueFailure>> GetFailingQueuesAsync(CancellationToken cancellationToken = default) =>
        (await GetFailingQueuesAsync(await tables.GetAsync(tables.Names.Runs, cancellationToken), cancellationToken)).Failing;

    /// <summary>
    /// Extends the streaks of <paramref name="failed"/> (or starts them), ends those of <paramref name="succeeded"/>, and
    /// forgets streaks not extended for <see cref="ForgetFailuresAfter"/>: conditional on the row's ETag, re-read on a
    /// conflict (work items of one run finish together), and not written when nothing changes.
    /// </summary>
    public async Task UpdateFailingQueuesAsync(
        IReadOnlyCollection<string> failed, IReadOnlyCollection<string> succeeded, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(succeeded);
        var table = await tables.GetAsync(tables.Names.Runs, cancellationToken);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var (current, etag) = await GetFailingQueuesAsync(table, cancellationToken);
            var next = current.Where(p => now - p.Value.LastFailedAt <= ForgetFailuresAfter && !succeeded.Contains(p.Key))
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            foreach (var q in failed)
            {
                next[q] = next.TryGetValue(q, out var f) ? f with { LastFailedAt = now } : new QueueFailure(now, now);
            }

            if (next.Count == current.Count && next.All(p => current.TryGetValue(p.Key, out var c) && c == p.Value))
            {
                return;
            }

            // Chunked: at about 115 characters a queue, one string property (32K characters) held fewer than 290
            // failing queues, and a shared fault fails them all at once; the Table service refused the longer row.
            var entity = new TableEntity(RebalanceKind, FailingRowKey);
            EntityChunks.Write(entity, "QueuesJson", JsonSerializer.Serialize(next));
            try
            {
                await tables.ExecuteAsync(tables.Names.Runs, (t, ct) => etag is { } e
                    ? t.UpdateEntityAsync(entity, e, TableUpdateMode.Replace, ct)
                    : t.AddEntityAsync(entity, ct), cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another work item wrote first: decide again on what it wrote.
            }
        }

        // Not silently: a streak that cannot be recorded is a fail-safe that cannot fire (RebalanceService then does
        // not record the run as completed).
        throw new InvalidOperationException("The failing-queues row kept changing under this run; its streaks were not recorded.");
    }

    private static async Task<(IReadOnlyDictionary<string, QueueFailure> Failing, ETag? ETag)> GetFailingQueuesAsync(TableClient table, CancellationToken cancellationToken)
    {
        var e = await table.GetEntityIfExistsAsync<TableEntity>(RebalanceKind, FailingRowKey, cancellationToken: cancellationToken);
        if (!e.HasValue)
        {
            return (new Dictionary<string, QueueFailure>(StringComparer.Ordinal), null);
        }

        return (ReadFailing(e.Value!), e.Value!.ETag);
    }

    private static Dictionary<string, QueueFailure> ReadFailing(TableEntity e)
    {
        // Rows written before the list was chunked hold it in one property.
        var json = EntityChunks.ReadOrSingle(e, "QueuesJson", "QueuesJson", "{}");
        return new(JsonSerializer.Deserialize<Dictionary<string, QueueFailure>>(json) ?? [], StringComparer.Ordinal);
    }
}
