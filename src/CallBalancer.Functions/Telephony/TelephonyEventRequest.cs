namespace CallBalancer.Functions.Telephony;

/// <summary>
/// The wire shape of <c>POST /api/telephony/events</c>: one event, or a batch as <c>{"events": [...]}</c>. Every member
/// is nullable so a missing field is reported by name. See <c>docs/telephony-events.schema.json</c>.
/// </summary>
internal sealed class TelephonyEventRequest
{
    public List<TelephonyEventRequest?>? Events { get; set; }

    public string? EventId { get; set; }

    public string? Type { get; set; }

    public DateTimeOffset? OccurredAt { get; set; }

    public string? QueueId { get; set; }

    public string? CallId { get; set; }

    public string? AgentId { get; set; }

    public string? Reason { get; set; }

    public string? CustomerId { get; set; }

    public double? WaitSeconds { get; set; }

    public double? HandleSeconds { get; set; }

    public string? State { get; set; }

    public int? WaitingCalls { get; set; }

    public double? OldestWaitSeconds { get; set; }

    public List<Balancing.AgentPresenceRequest?>? Agents { get; set; }

    /// <summary>True when any single-event member is present (a body must be one event or a batch, not both).</summary>
    public bool HasEventFields =>
        EventId is not null || Type is not null || OccurredAt is not null || QueueId is not null || CallId is not null
        || AgentId is not null || State is not null || WaitingCalls is not null || Agents is not null;
}
