using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Telephony;

/// <summary>
/// One event of the internal telephony model, whatever platform sent it. Every event has an id (the idempotency key:
/// a repeated id changes nothing), the instant it happened at the platform and the queue it concerns; the other
/// members are filled according to <see cref="Kind"/>.
/// </summary>
/// <param name="EventId">The platform's unique event id (1-128 letters, digits, '.', '_', '-' or ':').</param>
/// <param name="Kind">What happened.</param>
/// <param name="OccurredAt">When it happened at the platform (not when it reached us).</param>
/// <param name="QueueId">The queue it concerns.</param>
public sealed record TelephonyEvent(string EventId, TelephonyEventKind Kind, DateTimeOffset OccurredAt, string QueueId)
{
    /// <summary>The call (<c>call.*</c> events): the platform's call, task or contact id.</summary>
    public string? CallId { get; init; }

    /// <summary>
    /// The agent: who answered (<c>call.answered</c>) or handled (<c>call.ended</c>) the call, both optional, or whose
    /// state changed (<c>agent.state</c>). A <c>call.ended</c> without one is credited to the agent who answered.
    /// </summary>
    public string? AgentId { get; init; }

    /// <summary>The call-reason code (<c>call.ended</c>), e.g. <c>bill-enquiry</c>; feeds offer selection later.</summary>
    public string? Reason { get; init; }

    /// <summary>The customer id (<c>call.ended</c>), for the offer history.</summary>
    public string? CustomerId { get; init; }

    /// <summary>
    /// Seconds the caller waited in the queue (<c>call.answered</c>, <c>call.abandoned</c>), when the platform says;
    /// otherwise derived from the call's arrival when it is known.
    /// </summary>
    public double? WaitSeconds { get; init; }

    /// <summary>Seconds from answer to end (<c>call.ended</c>), when the platform says; otherwise derived from the answer time.</summary>
    public double? HandleSeconds { get; init; }

    /// <summary>The presence state name of <c>agent.state</c> (see <see cref="TelephonyEventNames.PresenceStateNames"/>).</summary>
    public string? AgentState { get; init; }

    /// <summary>Callers waiting (<c>queue.snapshot</c>), calls.</summary>
    public int? WaitingCalls { get; init; }

    /// <summary>The longest current wait (<c>queue.snapshot</c>), seconds; 0 when nobody waits.</summary>
    public double? OldestWaitSeconds { get; init; }

    /// <summary>
    /// The queue's agents (<c>queue.snapshot</c>), or null when the platform reports counts only (Genesys observations):
    /// the agents are then taken from the latest <c>agent.state</c> events of the queue.
    /// </summary>
    public IReadOnlyList<AgentPresence>? Agents { get; init; }
}
