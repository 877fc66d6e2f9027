using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// Agent modes: PartitionKey = queue id, RowKey = agent id, so one queue's flips go into entity-group transactions
/// (at most 100 entities each, enforced here). Transitions are conditional on the ETag read; never <c>ETag.All</c>.
/// An index table lets the desktop find an agent's queue with a point read: PartitionKey = one of
/// <see cref="IndexBuckets"/> buckets from a stable hash of the agent id, RowKey = agent id. Buckets rather than one
/// partition per agent so that a queue's new agents are indexed in at most one entity-group transaction per bucket
/// (a new centre of 5,000 agents in 200 queues: 800 requests instead of 5,000), with the desktops' reads still well
/// below a partition's target (10,000 agents polling every 15 s: 167 reads/s per bucket, target 2,000; raise the
/// count well before 50,000 agents).
/// </summary>
public sealed class AgentModeStore(CallBalancerTables tables)
{
    /// <summary>The Table service's limit on operations in one entity-group transaction.</summary>
    public const int MaxTransactionSize = 100;

    /// <summary>How many partitions the agent index is spread over.</summary>
    public const int IndexBuckets = 4;

    // Which queue the index named for each agent last time on this instance: only a hint (see GetAgentModeAsync).
    private readonly RecentItems<string, string> _queueOf = new(100_000);

    /// <summary>Every agent mode recorded for a queue (one partition query).</summary>
    public async Task<IReadOnlyList<StoredAgentMode>> GetQueueModesAsync(string queueId, CancellationToken cancellationToken = default) =>
        (await GetQueueAsync(queueId, cancellationToken)).Modes;

    /// <summary>
    /// Everything a queue's modes partition holds, in one partition query: the agents' modes, and the decisions whose
    /// log records are still in the outbox (<see cref="DecisionOutbox"/>).
    /// </summary>
    public async Task<(IReadOnlyList<StoredAgentMode> Modes, IReadOnlyList<PendingDecisionLog> Outbox)> GetQueueAsync(
        string queueId, CancellationToken cancellationToken = default)
    {
        return await tables.ExecuteAsync(tables.Names.AgentModes, async (table, ct) =>
        {
            var modes = new List<StoredAgentMode>();
            var outbox = new List<PendingDecisionLog>();
            await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == queueId, cancellationToken: ct))
            {
                if (DecisionOutbox.IsOutboxRow(e.RowKey))
                {
                    outbox.Add(new PendingDecisionLog(
                        e.GetString("DecisionId") ?? string.Empty,
                        e.GetDateTimeOffset("DecidedAt") ?? DateTimeOffset.MinValue,
                        e.GetInt32("WrittenChanges") ?? 0,
                        e));
                }
                else
                {
                    modes.Add(FromEntity(e));
                }
            }

            return ((IReadOnlyList<StoredAgentMode>)modes, (IReadOnlyList<PendingDecisionLog>)outbox);
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes a decision's outbox row once its log record is written; a row already gone (another run recovered it)
    /// is not an error. Only its own decision's transactions ever write the row, and they are done by then, so the delete
    /// needs no ETag condition.
    /// </summary>
    public async Task DeleteOutboxAsync(string queueId, string decisionId, CancellationToken cancellationToken = default)
    {
        try
        {
            await tables.ExecuteAsync(tables.Names.AgentModes,
                (table, ct) => table.DeleteEntityAsync(queueId, DecisionOutbox.Prefix + decisionId, ETag.All, ct), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>
    /// The mode of one agent, found through the index; null for an unknown agent. The index is always read; the queue it
    /// gave last time on this instance is a hint that lets the agent's mode row be read at the same moment (one round
    /// trip instead of two in sequence). The hinted row is used only when the index names that queue again, so an
    /// agent who moved queues is read from the new one. An agent the index lists as staffed in other queues has those
    /// rows read at once too and is answered by <see cref="SharedAgentMode.Choose"/>: service-only while any queue
    /// that has it staffed holds it so.
    /// </summary>
    public async Task<AgentModeState?> GetAgentModeAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var modes = await tables.GetAsync(tables.Names.AgentModes, cancellationToken);
        var hinted = _queueOf.TryGet(agentId, out var hint)
            ? modes.GetEntityIfExistsAsync<TableEntity>(hint, agentId, cancellationToken: cancellationToken)
            : null;
        string? queueId;
        List<string> queues;
        try
        {
            var index = await tables.GetAsync(tables.Names.AgentIndex, cancellationToken);
            var entry = await index.GetEntityIfExistsAsync<TableEntity>(IndexPartition(agentId), agentId, cancellationToken: cancellationToken);
            queueId = entry.HasValue ? entry.Value!.GetString("QueueId") : null;
            queues = entry.HasValue ? StaffedQueuesOf(entry.Value!) : [];
            queueId ??= queues.FirstOrDefault(); // an entry only a queue list was merged into
        }
        catch
        {
            Observe(hinted);
            throw;
        }

        if (queueId is null)
        {
            Observe(hinted);
            return null;
        }

        _queueOf.Set(agentId, queueId);
        _queueOf.Trim();
        if (queues.Any(q => q != queueId))
        {
            // An agent staffed in other queues too: those rows are read at once with the indexed queue's, and the queues
            // that have it staffed decide. Queues the agent has left (or logged out of) cost no read.
            var toRead = queues.Append(queueId).Distinct(StringComparer.Ordinal).ToList();
            var reads = toRead
                .Select(q => hinted is not null && q == hint ? hinted : modes.GetEntityIfExistsAsync<TableEntity>(q, agentId, cancellationToken: cancellationToken))
                .ToList();
            if (hinted is not null && !toRead.Contains(hint!))
            {
                Observe(hinted);
            }

            var rows = (await Task.WhenAll(reads)).Where(r => r.HasValue).Select(r => FromEntity(r.Value!).State).ToList();
            return rows.Count == 0 ? null : SharedAgentMode.Choose(rows, queueId);
        }

        NullableResponse<TableEntity> mode;
        if (hinted is not null && hint == queueId)
        {
            mode = await hinted;
        }
        else
        {
            Observe(hinted);
            mode = await modes.GetEntityIfExistsAsync<TableEntity>(queueId, agentId, cancellationToken: cancellationToken);
        }

        return mode.HasValue ? FromEntity(mode.Value!).State : null;
    }

    /// <summary>Lets an unneeded read finish on its own, its failure observed.</summary>
    private static void Observe(Task? task) =>
        task?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// Writes the changed agents of a decision: an update conditional on the ETag read for agents already recorded,
    /// an insert (which fails if someone else inserted first) for new ones. Each write carries <paramref name="writeId"/>.
    /// The index is pointed at this queue for new agents, and for agents the queue's snapshot shows staffed
    /// (<paramref name="staffedAgents"/>) whom this decision lets cross-sell: an agent who comes back to a queue where it
    /// still has a row is not new there, and would otherwise stay indexed under the queue it left. Until this queue lets
    /// it cross-sell, the desktop reads the row of the queue it left, which that queue made service-only when the agent
    /// left it: the right mode, the other queue's reason. A staffed agent's flip from cross-sell to service-only is
    /// indexed too. Each index write also merges whether the agent is staffed in this queue (<see cref="MemberProperty"/>),
    /// which the desktop's read uses to answer an agent staffed in several queues from all of them
    /// (<see cref="SharedAgentMode"/>). Each row written records whether <paramref name="staffedAgents"/> has the agent.
    /// </summary>
    /// <exception cref="ModeConflictException">
    /// A record changed since it was read; nothing of that transaction was written (earlier transactions of the same
    /// decision stand, and the exception names their agents).
    /// </exception>
    public async Task ApplyAsync(
        ModeDecision decision,
        IReadOnlyDictionary<string, StoredAgentMode> readState,
        string writeId,
        IReadOnlySet<string>? staffedAgents = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(readState);
        var changes = decision.Changes.ToList();
        if (changes.Count == 0)
        {
            return;
        }

        // New (and returning) agents go into the index first: an index entry without a mode reads as "unknown" (404),
        // never wrong.
        // Also a staffed agent this queue flips from cross-sell to service-only: an agent in two queues is read from
        // one row, and when the other queue had let it cross-sell last, this queue's emergency left its desktop in
        // cross-sell (found in the review of 2026-12-06). The latest flip of either queue now decides what it reads.
        var toIndex = changes
            .Where(c => !readState.ContainsKey(c.AgentId)
                || ((c.PendingMode ?? c.Mode) == AgentMode.CrossSell && staffedAgents?.Contains(c.AgentId) == true)
                || ((c.PendingMode ?? c.Mode) == AgentMode.ServiceOnly && staffedAgents?.Contains(c.AgentId) == true
                    && readState.TryGetValue(c.AgentId, out var before) && (before.State.PendingMode ?? before.State.Mode) == AgentMode.CrossSell))
            .Select(c => c.AgentId)
            .ToList();
        if (toIndex.Count > 0)
        {
            // Upserts are idempotent, so a retried batch or an agent indexed by two queues' runs at once is harmless
            // (the later run's queue wins, as it would with single writes).
            await MergeIndexAsync(toIndex, agentId => new TableEntity(IndexPartition(agentId), agentId)
            {
                ["QueueId"] = decision.QueueId,
                [MemberProperty(decision.QueueId)] = staffedAgents?.Contains(agentId) ?? true,
            }, cancellationToken);
        }

        // The decision's log record rides in the first transaction as an outbox row (DecisionOutbox), and every later
        // transaction moves the row's count of written changes on, so a writer that dies before the log write leaves
        // behind exactly what it wrote for the next run to log: each transaction holds one agent fewer.
        var committed = new List<string>();
        foreach (var chunk in changes.Chunk(MaxTransactionSize - 1))
        {
            var actions = chunk.Select(c =>
            {
                var entity = ToEntity(decision, c, writeId, staffedAgents?.Contains(c.AgentId));
                return readState.TryGetValue(c.AgentId, out var before)
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, before.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity);
            }).ToList();
            var written = committed.Count + chunk.Length;
            actions.Add(committed.Count == 0
                ? new TableTransactionAction(TableTransactionActionType.Add, DecisionOutbox.Entry(decision, written))
                : new TableTransactionAction(TableTransactionActionType.UpdateMerge, DecisionOutbox.Progress(decision, written), ETag.All));
            try
            {
                await tables.ExecuteAsync(tables.Names.AgentModes, (table, ct) => table.SubmitTransactionAsync(actions, ct), cancellationToken);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // 404: the outbox row is gone: this writer stalled past DecisionOutbox.RecoverAfter between two of its
                // transactions and another run logged what it had written. It must not write more under a decision
                // whose record is closed: the unit re-reads and re-decides.
                var agentId = ex.FailedTransactionActionIndex is int i && i < chunk.Length ? chunk[i].AgentId : null;
                throw new ModeConflictException(decision.QueueId, agentId, ex) { CommittedAgentIds = committed };
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                throw new ModeConflictException(decision.QueueId, null, ex) { CommittedAgentIds = committed };
            }

            committed.AddRange(chunk.Select(c => c.AgentId));
        }
    }

    internal static TableEntity ToEntity(ModeDecision decision, AgentModeChange c, string writeId, bool? staffed = null) =>
        new(decision.QueueId, c.AgentId)
        {
            ["Staffed"] = staffed,
            ["Mode"] = c.Mode.ToName(),
            ["PendingMode"] = c.PendingMode?.ToName(),
            ["Since"] = c.Since,
            ["Reason"] = Truncate(c.Reason, 1000),
            ["DecisionId"] = decision.DecisionId,
            ["WriteId"] = writeId,
            ["Forced"] = c.Forced,
        };

    internal static StoredAgentMode FromEntity(TableEntity e)
    {
        AgentStateNames.TryParseMode(e.GetString("Mode"), out var mode);
        AgentMode? pending = AgentStateNames.TryParseMode(e.GetString("PendingMode"), out var p) ? p : null;
        var state = new AgentModeState(
            e.RowKey,
            e.PartitionKey,
            mode,
            e.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue,
            e.GetString("Reason") ?? string.Empty,
            e.GetString("DecisionId") ?? string.Empty,
            pending) { Forced = e.GetBoolean("Forced") ?? false, Staffed = e.GetBoolean("Staffed") };
        return new StoredAgentMode(state, e.ETag, e.GetString("WriteId"));
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>
    /// Brings the staffed flags up to date where the queue's snapshot changed them (logins and logouts; nothing in a
    /// steady run): on the agent's index entry (<see cref="MemberProperty"/>), for every agent whose row's flag differs
    /// from <paramref name="staffedAgents"/>, then on the rows <paramref name="written"/> (this run's decision, which
    /// wrote the flag itself) did not just write. A shared agent's desktop is answered from the queues that have it
    /// staffed (<see cref="SharedAgentMode"/>), so a queue the agent left must stop holding it, though its mode there
    /// does not change. The index goes first: an entry saying staffed where the row no longer does costs a read, the
    /// reverse would miss a hold. A row from before the flag (null) is brought up to date the same way, once. Each row
    /// update is conditional on the ETag read: a row changed since is left to the run that changed it, or to the next.
    /// </summary>
    public async Task SyncStaffedAsync(
        string queueId,
        IReadOnlyList<StoredAgentMode> stored,
        IReadOnlySet<string> staffedAgents,
        IReadOnlySet<string> written,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(staffedAgents);
        ArgumentNullException.ThrowIfNull(written);
        var changed = stored.Where(s => s.State.Staffed != staffedAgents.Contains(s.State.AgentId)).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await MergeIndexAsync(changed.Select(s => s.State.AgentId).ToList(),
            agentId => new TableEntity(IndexPartition(agentId), agentId) { [MemberProperty(queueId)] = staffedAgents.Contains(agentId) },
            cancellationToken);

        foreach (var chunk in changed.Where(s => !written.Contains(s.State.AgentId)).Chunk(MaxTransactionSize))
        {
            var actions = chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                new TableEntity(queueId, s.State.AgentId) { ["Staffed"] = staffedAgents.Contains(s.State.AgentId) }, s.ETag)).ToList();
            try
            {
                await tables.ExecuteAsync(tables.Names.AgentModes, (table, ct) => table.SubmitTransactionAsync(actions, ct), cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // A row changed or went since it was read: the next run reads it again and brings the flag up to date.
            }
        }
    }

    /// <summary>
    /// Merges <paramref name="entryOf"/> into each agent's index entry (creating it when missing): one entity-group
    /// transaction per bucket and hundred agents, up to 8 at once.
    /// </summary>
    private Task MergeIndexAsync(IReadOnlyCollection<string> agentIds, Func<string, TableEntity> entryOf, CancellationToken cancellationToken)
    {
        var batches = agentIds.GroupBy(IndexPartition, StringComparer.Ordinal).SelectMany(g => g.Chunk(MaxTransactionSize)).ToList();
        return tables.ExecuteAsync(tables.Names.AgentIndex, (index, token) =>
            Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = token }, async (batch, ct) =>
                await index.SubmitTransactionAsync(
                    batch.Select(agentId => new TableTransactionAction(TableTransactionActionType.UpsertMerge, entryOf(agentId))).ToList(), ct)),
            cancellationToken);
    }

    /// <summary>
    /// The index entry's property that says whether the agent is staffed in <paramref name="queueId"/> (true) or has a
    /// row there but is not (false): <c>Q_</c> and the id's UTF-8 in hex.
    /// </summary>
    internal static string MemberProperty(string queueId) => "Q_" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(queueId));

    private static List<string> StaffedQueuesOf(TableEntity entry)
    {
        var queues = new List<string>();
        foreach (var key in entry.Keys)
        {
            if (key.StartsWith("Q_", StringComparison.Ordinal) && entry[key] is true && key.Length > 2 && key.Length % 2 == 0)
            {
                try
                {
                    queues.Add(System.Text.Encoding.UTF8.GetString(Convert.FromHexString(key.AsSpan(2))));
                }
                catch (FormatException)
                {
                    // Not one of ours: ignored.
                }
            }
        }

        return queues;
    }

    /// <summary>
    /// The index partition of an agent: FNV-1a of the id's UTF-16 code units, modulo <see cref="IndexBuckets"/>. Stable
    /// across processes and versions (string.GetHashCode is randomised per process).
    /// </summary>
    internal static string IndexPartition(string agentId)
    {
        var hash = 2166136261u;
        foreach (var ch in agentId)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return "b" + (hash % IndexBuckets).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
