namespace CallBalancer.Core.Balancing;

/// <summary>The telephony platform's view of one queue at one instant.</summary>
/// <param name="QueueId">The queue's id.</param>
/// <param name="ObservedAt">When the platform took the snapshot.</param>
/// <param name="WaitingCalls">Callers waiting for an agent (calls).</param>
/// <param name="OldestWaitSeconds">How long the longest-waiting caller has waited (seconds); 0 when nobody waits.</param>
/// <param name="Agents">Every agent of the queue and their state.</param>
public sealed record QueueSnapshot(
    string QueueId,
    DateTimeOffset ObservedAt,
    int WaitingCalls,
    double OldestWaitSeconds,
    IReadOnlyList<AgentPresence> Agents)
{
    /// <summary>Agents logged in and taking calls (available, on a call or in wrap-up).</summary>
    public int StaffedAgents => Agents.Count(a => a.State.IsStaffed());

    /// <summary>Agents idle and able to take a call right now.</summary>
    public int IdleAgents => Agents.Count(a => a.State == AgentState.Available);

    /// <summary>
    /// The observation time a snapshot is stored with: as sent, but never later than the server's clock. Newest wins,
    /// so a snapshot stamped minutes ahead by a fast platform clock was kept over every correctly stamped one after it,
    /// emergencies included, for as long as it stayed "newer" (up to the 5 minutes of skew accepted).
    /// </summary>
    public static DateTimeOffset NoLaterThan(DateTimeOffset observedAt, DateTimeOffset now) => observedAt > now ? now : observedAt;
}
