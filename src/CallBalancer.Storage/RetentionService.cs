using Azure;
using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>
/// Removes what is older than its retention period (see <c>docs/adr/0007-retention.md</c> for what each table keeps):
/// <list type="bullet">
/// <item>per-month decision and telephony tables, dropped whole once the whole month is older than the cut-off (the
/// one-table-per-period pattern: a month of events goes in one request instead of millions of entity deletes);</item>
/// <item>latest snapshots of queues silent since before the cut-off, call records whose every stage is older, agents'
/// presence rows last heard of before it, mode rows of agents who left their queue before it, and offers shown before
/// the offer cut-off: found by a filtered query and deleted in entity-group transactions of up to 100
/// (one partition each), each delete conditional on the ETag read, so a row written meanwhile is kept.</item>
/// </list>
/// The KPI ledger, the supervision audit, contact histories (opt-outs are permanent), profiles, the catalogue and the
/// current-state tables are never deleted here. Idempotent: a second run removes nothing more. Bounded: at most
/// <see cref="RetentionPolicy.MaxEntityDeletes"/> entity deletes per run; the next run continues.
/// </summary>
public sealed class RetentionService(CallBalancerTables tables, TimeProvider time)
{
    private static readonly string[] CallStages = ["ArrivedAt", "AnsweredAt", "AbandonedAt", "EndedAt"];

    /// <summary>Deletes what <paramref name="policy"/> no longer keeps; returns what was removed.</summary>
    public async Task<RetentionResult> RunAsync(RetentionPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.MaxEntityDeletes, 1);
        var now = time.GetUtcNow();
        var cutoff = now - policy.Operational;
        var offerCutoff = now - policy.Offers;
        var dropped = new List<string>();
        dropped.AddRange(await DropMonthsAsync(tables.Names.Decisions, tables.Names.DecisionsMonth, cutoff, cancellationToken));
        dropped.AddRange(await DropMonthsAsync(tables.Names.TelephonyIntervals, tables.Names.TelephonyIntervalsMonth, cutoff, cancellationToken));

        var budget = new Budget(policy.MaxEntityDeletes);
        var snapshots = await DeleteWhereAsync(tables.Names.Snapshots, TableClient.CreateQueryFilter($"ObservedAt lt {cutoff}"),
            ["ObservedAt"], _ => true, budget, cancellationToken);

        // A call goes when every stage it has is older (a long call that started before the cut-off stays).
        var calls = await DeleteWhereAsync(tables.Names.Calls,
            TableClient.CreateQueryFilter($"ArrivedAt lt {cutoff} or AnsweredAt lt {cutoff} or AbandonedAt lt {cutoff} or EndedAt lt {cutoff}"),
            CallStages, e => CallStages.All(s => e.GetDateTimeOffset(s) is not { } at || at < cutoff), budget, cancellationToken);

        // Rows of offers shown only (RowKey rec-..., one per recommendation; '.' sorts right after '-'); the customer's
        // contact history row in the same partition is kept.
        var offers = await DeleteWhereAsync(tables.Names.CustomerOffers,
            TableClient.CreateQueryFilter($"RowKey ge {Offers.ContactHistoryStore.RecommendationPrefix} and RowKey lt {"rec."} and MadeAt lt {offerCutoff}"),
            ["MadeAt"], _ => true, budget, cancellationToken);

        // An agent's presence in a queue (agent.state) last heard of before the cut-off: it left the queue, or the centre,
        // and nobody logged it out. It no longer counts in a snapshot after PresenceMaxAgeHours anyway; this keeps the
        // partition each event-built snapshot reads from growing with every agent the queue ever had.
        var agentStates = await DeleteWhereAsync(tables.Names.AgentStates, TableClient.CreateQueryFilter($"OccurredAt lt {cutoff}"),
            ["OccurredAt"], _ => true, budget, cancellationToken);

        // The mode row of an agent who left a queue: not staffed there, and the row unchanged (no flip, no login) since
        // before the cut-off. The agent's index entry already says it is not staffed there, so no desktop reads it; an
        // agent who comes back is new to the queue again (service-only until the policy decides). Outbox rows have no
        // Staffed flag, and rows from before the flag (null) are brought up to date by the next rebalance first.
        var agentModes = await DeleteWhereAsync(tables.Names.AgentModes, TableClient.CreateQueryFilter($"Staffed eq {false} and Timestamp lt {cutoff}"),
            ["Staffed"], _ => true, budget, cancellationToken);

        return new RetentionResult(cutoff, offerCutoff, dropped, snapshots, calls, offers, !budget.Exhausted, agentStates, agentModes);
    }

    private async Task<List<string>> DropMonthsAsync(string stem, Func<string, DateTimeOffset?> monthOf, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var dropped = new List<string>();
        await foreach (var table in tables.Service.QueryAsync(t => t.Name.CompareTo(stem) >= 0 && t.Name.CompareTo(stem + "~") < 0, cancellationToken: cancellationToken))
        {
            // A month's table goes only when the whole month is older than the cut-off.
            if (monthOf(table.Name) is { } month && month.AddMonths(1) <= cutoff)
            {
                try
                {
                    await tables.Service.DeleteTableAsync(table.Name, cancellationToken);
                    dropped.Add(table.Name);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // Dropped meanwhile by an overlapping run.
                }
            }
        }

        return dropped;
    }

    private async Task<int> DeleteWhereAsync(
        string tableName, string filter, string[] properties, Func<TableEntity, bool> remove, Budget budget, CancellationToken cancellationToken)
    {
        if (budget.Exhausted)
        {
            return 0;
        }

        var table = tables.GetExisting(tableName);
        var removed = 0;
        var batch = new List<TableEntity>();
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", .. properties], cancellationToken: cancellationToken))
            {
                if (!remove(e))
                {
                    continue;
                }

                if (batch.Count > 0 && (batch[0].PartitionKey != e.PartitionKey || batch.Count == AgentModeStore.MaxTransactionSize))
                {
                    removed += await DeleteAsync(table, batch, cancellationToken);
                    batch.Clear();
                }

                if (!budget.TryTake())
                {
                    break;
                }

                batch.Add(e);
            }

            if (batch.Count > 0)
            {
                removed += await DeleteAsync(table, batch, cancellationToken);
            }
        }
        catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
        {
            // Nothing was ever written there.
        }

        return removed;
    }

    /// <summary>Deletes one partition's rows in one transaction; if one of them changed or went meanwhile, one by one.</summary>
    private static async Task<int> DeleteAsync(TableClient table, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag)), cancellationToken);
            return rows.Count;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412)
        {
            var removed = 0;
            foreach (var r in rows)
            {
                try
                {
                    // Conditional on the ETag read: a row written since (a fresh snapshot, a call's new stage) is kept.
                    await table.DeleteEntityAsync(r.PartitionKey, r.RowKey, r.ETag, cancellationToken);
                    removed++;
                }
                catch (RequestFailedException one) when (one.Status is 404 or 412)
                {
                }
            }

            return removed;
        }
    }

    private sealed class Budget(int deletes)
    {
        private int _left = deletes;

        public bool Exhausted { get; private set; }

        public bool TryTake()
        {
            if (_left == 0)
            {
                Exhausted = true;
                return false;
            }

            _left--;
            return true;
        }
    }
}
