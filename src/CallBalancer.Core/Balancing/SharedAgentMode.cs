namespace CallBalancer.Core.Balancing;

/// <summary>
/// The one answer a desktop gets for an agent with a mode row in several queues (a multi-skilled agent). Each queue's
/// rebalance decides the agent's mode in that queue alone; service level first means the agent cross-sells only while
/// every queue that has it staffed lets it.
/// </summary>
public static class SharedAgentMode
{
    /// <summary>
    /// Chooses among the agent's rows, one per queue. The candidates are the rows of the queues that have the agent
    /// staffed (a row that does not say, written before this was recorded, counts as staffed), or every row when none
    /// does. Among them: the newest service-only row if any holds the agent service-only, else the row of
    /// <paramref name="indexedQueue"/> (the queue that flipped it last), else the newest.
    /// </summary>
    /// <param name="rows">The agent's rows, at least one.</param>
    /// <param name="indexedQueue">The queue the agent index names.</param>
    /// <returns>The chosen row, with <see cref="AgentModeState.AlsoStaffedIn"/> naming the other staffed queues.</returns>
    public static AgentModeState Choose(IReadOnlyList<AgentModeState> rows, string indexedQueue)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row.", nameof(rows));
        }

        var staffed = rows.Where(r => r.Staffed != false).ToList();
        var pool = staffed.Count > 0 ? staffed : rows.ToList();
        var held = pool.Where(r => r.Mode == AgentMode.ServiceOnly).ToList();
        var chosen = held.Count > 0
            ? Newest(held)
            : pool.FirstOrDefault(r => r.QueueId == indexedQueue) ?? Newest(pool);
        return chosen with
        {
            AlsoStaffedIn = staffed.Where(r => r.QueueId != chosen.QueueId).Select(r => r.QueueId).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static AgentModeState Newest(IEnumerable<AgentModeState> rows) =>
        rows.OrderByDescending(r => r.Since).ThenBy(r => r.QueueId, StringComparer.Ordinal).First();
}
