using Azure;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>
/// The latest presence of each agent from <c>agent.state</c> events: PartitionKey = queue id, RowKey = agent id.
/// Latest wins by <c>occurredAt</c>, not by arrival: an older event is ignored, checked against the stored record and
/// written conditionally on its ETag (re-read on a lost race), so out-of-order delivery cannot roll an agent back.
/// </summary>
public sealed class AgentStateStore(CallBalancerTables tables)
{
    /// <summary>Applies one agent's latest event; returns false when the stored state is at least as new.</summary>
    public async Task<bool> ApplyAsync(TelephonyEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Kind != TelephonyEventKind.AgentState || e.AgentId is null || e.AgentState is null)
        {
            throw new ArgumentException("An agent.state event with agentId and state is required.", nameof(e));
        }

        var table = await tables.GetAsync(tables.Names.AgentStates, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(e.QueueId, e.AgentId, cancellationToken: cancellationToken);
            if (existing.HasValue && existing.Value!.GetDateTimeOffset("OccurredAt") >= e.OccurredAt)
            {
                return false;
            }

            var entity = new TableEntity(e.QueueId, e.AgentId)
            {
                ["State"] = e.AgentState,
                ["OccurredAt"] = e.OccurredAt,
                ["EventId"] = e.EventId,
            };
            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(entity, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 10)
            {
                // Another event of this agent was written meanwhile: re-read and compare times again.
            }
        }
    }

    /// <summary>
    /// The latest presence of every agent of a queue, as the balancer sees it; an agent whose latest event is older than
    /// <paramref name="notBefore"/> is left out (taken as gone: nobody logged it out).
    /// </summary>
    public async Task<IReadOnlyList<AgentPresence>> ListAsync(string queueId, DateTimeOffset? notBefore = null, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tables.Names.AgentStates, cancellationToken);
        var result = new List<AgentPresence>();
        await foreach (var row in table.QueryAsync<TableEntity>(x => x.PartitionKey == queueId, select: ["RowKey", "State", "OccurredAt"], cancellationToken: cancellationToken))
        {
            if (notBefore is { } limit && row.GetDateTimeOffset("OccurredAt") is { } at && at < limit)
            {
                continue;
            }

            result.Add(new AgentPresence(row.RowKey, TelephonyEventNames.ToAgentState(row.GetString("State") ?? "not-ready")));
        }

        return result;
    }

    /// <summary>The stored presence name and its time for one agent, or null.</summary>
    public async Task<(string State, DateTimeOffset OccurredAt)?> GetAsync(string queueId, string agentId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tables.Names.AgentStates, cancellationToken);
        var e = await table.GetEntityIfExistsAsync<TableEntity>(queueId, agentId, cancellationToken: cancellationToken);
        return e.HasValue ? (e.Value!.GetString("State")!, e.Value.GetDateTimeOffset("OccurredAt")!.Value) : null;
    }
}
