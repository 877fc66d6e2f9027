using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;

namespace CallBalancer.Storage;

/// <summary>
/// Supervisor settings, overrides and their audit (table <see cref="TableNames.Supervision"/>, one partition per queue).
/// Every change and its audit record are one entity-group transaction, conditional on the ETag the change was based
/// on, so the audit can never miss a change nor record one that did not happen.
/// </summary>
public sealed class SupervisionStore(CallBalancerTables tables) : IQueueSupervisionSource
{
    private const string SettingsRowKey = "settings";
    private const string OverridePrefix = "override_";
    private const string AuditPrefix = "audit_";

    /// <summary>How settings and overrides are written as JSON in storage and in the audit.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The stored settings of a queue (one point read), or null when it runs on defaults.</summary>
    public Task<StoredSettings?> GetSettingsAsync(string queueId, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.Supervision, async (table, ct) =>
        {
            var e = await table.GetEntityIfExistsAsync<TableEntity>(queueId, SettingsRowKey, cancellationToken: ct);
            return e.HasValue ? ToSettings(e.Value!) : null;
        }, cancellationToken);

    /// <summary>Settings and overrides of a queue in one query (the RowKeys from <c>override_</c> up, which skips the audit).</summary>
    public Task<QueueSupervision> GetAsync(string queueId, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.Supervision, async (table, ct) =>
        {
            StoredSettings? settings = null;
            var overrides = new List<ModeOverride>();
            await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == queueId && x.RowKey.CompareTo(OverridePrefix) >= 0, cancellationToken: ct))
            {
                if (e.RowKey == SettingsRowKey)
                {
                    settings = ToSettings(e);
                }
                else if (e.RowKey.StartsWith(OverridePrefix, StringComparison.Ordinal))
                {
                    overrides.Add(ToOverride(e));
                }
            }

            return settings is null && overrides.Count == 0 ? QueueSupervision.None : new QueueSupervision(settings, overrides);
        }, cancellationToken);

    /// <summary>
    /// Saves a queue's settings and their audit record together. <paramref name="ifMatch"/> is the version the change
    /// is based on; null means "the queue runs on defaults" (the record must not exist yet).
    /// </summary>
    /// <returns>The new version.</returns>
    /// <exception cref="SupervisionConflictException">The settings changed (or were created) since that version; nothing was written.</exception>
    public async Task<ETag> SaveSettingsAsync(
        string queueId, SupervisorSettings settings, ETag? ifMatch, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(audit);
        var entity = new TableEntity(queueId, SettingsRowKey)
        {
            ["SettingsJson"] = JsonSerializer.Serialize(settings, Json),
            ["UpdatedBy"] = audit.Who,
            ["UpdatedAt"] = audit.At,
        };
        var first = ifMatch is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
        var responses = await SubmitAsync(queueId, "settings", [first, AuditAction(queueId, audit)], cancellationToken);
        return responses[0].Headers.ETag ?? (await GetSettingsAsync(queueId, cancellationToken))!.ETag;
    }

    /// <summary>Sets (or replaces) an override and audits it; the old one, if any, is the audit's old value.</summary>
    /// <exception cref="SupervisionConflictException">The override changed since it was read; nothing was written.</exception>
    public Task SetOverrideAsync(ModeOverride modeOverride, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modeOverride);
        return tables.ExecuteAsync(tables.Names.Supervision, async (table, ct) =>
        {
            var rowKey = OverridePrefix + modeOverride.Id;
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(modeOverride.QueueId, rowKey, cancellationToken: ct);
            var entity = ToEntity(modeOverride);
            var audit = new AuditEntry("override-set", modeOverride.Id, modeOverride.SetBy, modeOverride.SetAt,
                existing.HasValue ? JsonSerializer.Serialize(ToOverride(existing.Value!), Json) : null,
                JsonSerializer.Serialize(modeOverride, Json), reason);
            var write = existing.HasValue
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, existing.Value!.ETag)
                : new TableTransactionAction(TableTransactionActionType.Add, entity);
            await SubmitAsync(table, modeOverride.QueueId, modeOverride.Id, [write, AuditAction(modeOverride.QueueId, audit)], ct);
        }, cancellationToken);
    }

    /// <summary>Clears an override and audits it.</summary>
    /// <returns>False when there was no such override (nothing written).</returns>
    /// <exception cref="SupervisionConflictException">The override changed since it was read; nothing was written.</exception>
    public Task<bool> ClearOverrideAsync(string queueId, string overrideId, string who, DateTimeOffset at, string reason, CancellationToken cancellationToken = default) =>
        tables.ExecuteAsync(tables.Names.Supervision, async (table, ct) =>
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(queueId, OverridePrefix + overrideId, cancellationToken: ct);
            if (!existing.HasValue)
            {
                return false;
            }

            var audit = new AuditEntry("override-cleared", overrideId, who, at, JsonSerializer.Serialize(ToOverride(existing.Value!), Json), null, reason);
            await SubmitAsync(table, queueId, overrideId,
                [new TableTransactionAction(TableTransactionActionType.Delete, existing.Value!, existing.Value!.ETag), AuditAction(queueId, audit)], ct);
            return true;
        }, cancellationToken);

    /// <summary>The newest audit records of a queue, newest first (one query).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string queueId, int take, CancellationToken cancellationToken = default) =>
        (await ListAuditPageAsync(queueId, take, null, cancellationToken)).Entries;

    /// <summary>
    /// One page of a queue's audit, newest first, after <paramref name="continuation"/> (a page's own, or null for the
    /// newest), and the continuation of the next page (null at the end).
    /// </summary>
    /// <exception cref="ArgumentException">Not a continuation of this audit (<see cref="IsAuditContinuation"/>).</exception>
    public Task<(IReadOnlyList<AuditEntry> Entries, string? Continuation)> ListAuditPageAsync(
        string queueId, int take, string? continuation, CancellationToken cancellationToken = default) =>
        continuation is not null && !IsAuditContinuation(continuation)
            ? throw new ArgumentException("Not a continuation of this audit.", nameof(continuation))
            : tables.ExecuteAsync(tables.Names.Supervision, (table, ct) => AuditEntry.ListAsync(table, queueId, AuditPrefix, take, continuation, ct), cancellationToken);

    /// <summary>True when <paramref name="continuation"/> can be one a page of a queue's audit gave.</summary>
    public static bool IsAuditContinuation(string continuation) => AuditEntry.IsContinuation(continuation, AuditPrefix);

    private static TableTransactionAction AuditAction(string queueId, AuditEntry audit) => audit.ToAction(queueId, AuditPrefix);

    private Task<IReadOnlyList<Response>> SubmitAsync(string queueId, string subject, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        tables.ExecuteAsync(tables.Names.Supervision, (table, ct) => SubmitAsync(table, queueId, subject, actions, ct), cancellationToken);

    private static async Task<IReadOnlyList<Response>> SubmitAsync(
        TableClient table, string queueId, string subject, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken);
            return response.Value;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            throw new SupervisionConflictException(queueId, subject, ex);
        }
    }

    private static StoredSettings ToSettings(TableEntity e) => new(
        JsonSerializer.Deserialize<SupervisorSettings>(e.GetString("SettingsJson") ?? "{}", Json) ?? new SupervisorSettings(),
        e.ETag,
        e.GetString("UpdatedBy") ?? string.Empty,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);

    private static TableEntity ToEntity(ModeOverride o) => new(o.QueueId, OverridePrefix + o.Id)
    {
        ["Scope"] = o.Scope.ToString(),
        ["AgentId"] = o.AgentId,
        ["Mode"] = o.Mode?.ToName(),
        ["Until"] = o.Until,
        ["Reason"] = o.Reason,
        ["SetBy"] = o.SetBy,
        ["SetAt"] = o.SetAt,
    };

    private static ModeOverride ToOverride(TableEntity e) => new(
        e.RowKey[OverridePrefix.Length..],
        e.PartitionKey,
        Enum.TryParse<OverrideScope>(e.GetString("Scope"), out var scope) ? scope : OverrideScope.Freeze,
        e.GetString("AgentId"),
        AgentStateNames.TryParseMode(e.GetString("Mode"), out var mode) ? mode : null,
        e.GetDateTimeOffset("Until"),
        e.GetString("Reason") ?? string.Empty,
        e.GetString("SetBy") ?? string.Empty,
        e.GetDateTimeOffset("SetAt") ?? DateTimeOffset.MinValue);
}
