using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// The append-only decision log: PartitionKey = queue id, RowKey = log-tail time + decision id (newest first).
/// Each record keeps the rule, the numbers that made it fire and the agents it changed, so a flip can be
/// explained after the fact.
/// </summary>
public sealed class DecisionStore(CallBalancerTables tables, TimeProvider time)
{
    // A string property holds 32K characters: a longer change list (a few hundred agents) is spread over chunks.
    private const int MaxJsonChars = 30_000;

    /// <summary>Appends a decision; appending the same decision twice keeps one record.</summary>
    public Task AppendAsync(ModeDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return AppendAsync(ToEntity(decision), decision.DecidedAt, cancellationToken);
    }

    /// <summary>Appends a log record built by <see cref="ToEntity"/> (or recovered from the outbox) to its month's table.</summary>
    internal async Task AppendAsync(TableEntity entity, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        try
        {
            await tables.ExecuteAsync(tables.Names.DecisionsFor(decidedAt), (table, ct) => table.AddEntityAsync(entity, ct), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already appended (a retried unit of work, or an outbox row recovered twice): append-only means the first
            // record stands.
        }
    }

    /// <summary>The log record of a decision: its rule, its numbers and the agents it changed.</summary>
    internal static TableEntity ToEntity(ModeDecision decision)
    {
        var changes = decision.Changes
            .Select(c => new DecisionChangeRecord(c.AgentId, c.Mode.ToName(), c.PendingMode?.ToName()))
            .ToList();
        var entity = new TableEntity(decision.QueueId, RowKey(decision))
        {
            ["DecisionId"] = decision.DecisionId,
            ["DecidedAt"] = decision.DecidedAt,
            ["Rule"] = decision.Rule,
            ["Explanation"] = decision.Explanation,
            ["CrossSellAllowed"] = decision.CrossSellAllowed,
            ["ChangeCount"] = changes.Count,
            ["InputsJson"] = JsonSerializer.Serialize(decision.Inputs),
        };
        SetChanges(entity, changes);
        return entity;
    }

    /// <summary>
    /// Writes the agents a record changed: one <c>ChangesJson</c> property up to 30,000 characters, else chunks
    /// (<see cref="EntityChunks"/>: a stale-snapshot decision of 2,000 agents with 64-character ids is about 220,000),
    /// replacing whatever the entity held. Before chunks a longer list was dropped, so the record could not be found by
    /// agent.
    /// </summary>
    internal static void SetChanges(TableEntity entity, IReadOnlyList<DecisionChangeRecord> changes)
    {
        var old = entity.GetInt32("ChangesChunks") ?? 0;
        for (var i = 0; i < old; i++)
        {
            entity.Remove("Changes" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        entity.Remove("ChangesChunks");
        entity.Remove("ChangesJson");
        var json = JsonSerializer.Serialize(changes);
        if (json.Length <= MaxJsonChars)
        {
            entity["ChangesJson"] = json;
        }
        else
        {
            EntityChunks.Write(entity, "Changes", json);
        }
    }

    /// <summary>The agents a record changed, written by <see cref="SetChanges"/>.</summary>
    internal static List<DecisionChangeRecord> ChangesOf(TableEntity entity)
    {
        var json = EntityChunks.ReadOrSingle(entity, "Changes", "ChangesJson", "[]");
        return JsonSerializer.Deserialize<List<DecisionChangeRecord>>(json) ?? [];
    }

    /// <summary>The newest decisions of a queue, newest first (this month's table, then last month's).</summary>
    public async Task<IReadOnlyList<DecisionRecord>> ListRecentAsync(string queueId, int take, CancellationToken cancellationToken = default)
    {
        const int monthsBack = 1;
        var result = new List<DecisionRecord>();
        var month = time.GetUtcNow();
        for (var i = 0; i <= monthsBack && result.Count < take; i++, month = month.AddMonths(-1))
        {
            // Read without creating: a month nobody decided in (or that retention dropped) is simply empty.
            try
            {
                result.AddRange(await ListRecentAsync(tables.GetExisting(tables.Names.DecisionsFor(month)), queueId, take - result.Count, cancellationToken));
            }
            catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
            {
            }
        }

        return result;
    }

    private static async Task<IReadOnlyList<DecisionRecord>> ListRecentAsync(TableClient table, string queueId, int take, CancellationToken cancellationToken)
    {
        var result = new List<DecisionRecord>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == queueId, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(e));
            if (result.Count >= take)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>
    /// A queue's decisions made in <c>[from, to)</c>, newest first, optionally only those that changed
    /// <paramref name="agentId"/>; at most <paramref name="take"/>, reading at most <paramref name="maxScanned"/> log rows.
    /// <paramref name="after"/> continues a previous page (its <see cref="DecisionPage.Continuation"/>); a page's
    /// continuation is null once the period has been read to its end.
    /// </summary>
    public async Task<DecisionPage> ListAsync(string queueId, DateTimeOffset from, DateTimeOffset to, string? agentId, int take,
        string? after = null, int maxScanned = 5000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxScanned, 1);
        if (to <= from)
        {
            return new DecisionPage([], null);
        }

        // Newest first: RowKey = log tail of DecidedAt (descending ticks, 19 digits) + "_" + id. DecidedAt < to is a tail
        // of at least LogTail(to - 1 tick); DecidedAt >= from is a tail below LogTail(from - 1 tick).
        var lo = TableKeys.LogTailBefore(to);
        var hi = TableKeys.LogTailBefore(from);
        var newest = to.AddTicks(-1);
        if (after is not null)
        {
            if (ContinuationInstant(after) is not { } at || at < from || at >= to)
            {
                throw new ArgumentException("The continuation does not belong to this period.", nameof(after));
            }

            newest = at;
        }

        var result = new List<DecisionRecord>();
        var scanned = 0;
        string? last = null;
        var months = new List<DateTimeOffset>();
        for (var month = MonthStart(newest); ; month = month.AddMonths(-1))
        {
            months.Add(month);
            if (month <= MonthStart(from))
            {
                break;
            }
        }

        foreach (var month in months)
        {
            var filter = after is null
                ? TableClient.CreateQueryFilter($"PartitionKey eq {queueId} and RowKey ge {lo} and RowKey lt {hi}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {queueId} and RowKey gt {after} and RowKey lt {hi}");
            try
            {
                await foreach (var e in tables.GetExisting(tables.Names.DecisionsFor(month))
                    .QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(1000, maxScanned), cancellationToken: cancellationToken))
                {
                    scanned++;
                    last = e.RowKey;
                    var record = FromEntity(e);
                    if (agentId is null || record.Changes.Any(c => c.AgentId == agentId))
                    {
                        result.Add(record);
                    }

                    if (result.Count >= take || scanned >= maxScanned)
                    {
                        return new DecisionPage(result, last);
                    }
                }
            }
            catch (RequestFailedException ex) when (CallBalancerTables.IsTableNotFound(ex))
            {
                // A month nobody decided in, or that retention dropped.
            }
        }

        return new DecisionPage(result, null);
    }

    /// <summary>The instant a continuation (a log row key) stands for, or null when it is not one.</summary>
    public static DateTimeOffset? ContinuationInstant(string continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return continuation.Length > 20 && continuation[19] == '_'
            && continuation[20..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                ? TableKeys.LogTailInstant(continuation.AsSpan(0, 19))
                : null;
    }

    private static DateTimeOffset MonthStart(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private static DecisionRecord FromEntity(TableEntity e) => new(
        e.GetString("DecisionId") ?? string.Empty,
        e.PartitionKey,
        e.GetDateTimeOffset("DecidedAt") ?? DateTimeOffset.MinValue,
        e.GetString("Rule") ?? string.Empty,
        e.GetString("Explanation") ?? string.Empty,
        e.GetInt32("CrossSellAllowed") ?? 0,
        JsonSerializer.Deserialize<Dictionary<string, double>>(e.GetString("InputsJson") ?? "{}") ?? [],
        ChangesOf(e),
        e.GetDateTimeOffset("RecoveredAt"));

    private static string RowKey(ModeDecision d) => TableKeys.LogTail(d.DecidedAt) + "_" + d.DecisionId;
}
