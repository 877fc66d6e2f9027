namespace CallBalancer.Core.Telephony;

/// <summary>
/// What is known of one call: the instant of each stage, each set by its own event. Stages are independent fields,
/// so events can be applied in any order and any number of times and give the same record; the call's
/// <see cref="Stage"/> is the furthest stage known, so a late <c>call.answered</c> after <c>call.ended</c> never moves
/// the call backwards.
/// </summary>
/// <param name="ArrivedAt">When the call entered the queue, if known.</param>
/// <param name="AnsweredAt">When an agent answered, if known.</param>
/// <param name="AbandonedAt">When the caller abandoned, if known.</param>
/// <param name="EndedAt">When the answered call ended, if known.</param>
public sealed record CallProgress(DateTimeOffset? ArrivedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? AbandonedAt, DateTimeOffset? EndedAt)
{
    /// <summary>Nothing known yet.</summary>
    public static CallProgress Unknown { get; } = new(null, null, null, null);

    /// <summary>
    /// The agent who answered (from the <c>call.answered</c> that set <see cref="AnsweredAt"/>), if the platform said:
    /// the agent a <c>call.ended</c> without an agent id is attributed to.
    /// </summary>
    public string? AnsweredBy { get; init; }

    /// <summary>The furthest stage reached, whatever order the events came in.</summary>
    public CallStage Stage =>
        EndedAt is not null ? CallStage.Ended
        : AbandonedAt is not null ? CallStage.Abandoned
        : AnsweredAt is not null ? CallStage.Answered
        : ArrivedAt is not null ? CallStage.Waiting
        : CallStage.Unknown;

    /// <summary>
    /// The record after applying a call event. A stage already known keeps its earliest instant, so a repeated or a
    /// second event of the same stage cannot move it; other event kinds leave the record unchanged.
    /// </summary>
    public CallProgress Apply(TelephonyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind switch
        {
            TelephonyEventKind.CallArrived => this with { ArrivedAt = Earliest(ArrivedAt, e.OccurredAt) },
            TelephonyEventKind.CallAnswered => ApplyAnswer(e),
            TelephonyEventKind.CallAbandoned => this with { AbandonedAt = Earliest(AbandonedAt, e.OccurredAt) },
            TelephonyEventKind.CallEnded => this with { EndedAt = Earliest(EndedAt, e.OccurredAt) },
            _ => this,
        };
    }

    private CallProgress ApplyAnswer(TelephonyEvent e)
    {
        if (AnsweredAt is { } known && known < e.OccurredAt)
        {
            return this;
        }

        // An earlier answer replaces the agent too; the same instant again only fills in an agent not yet known.
        return AnsweredAt == e.OccurredAt
            ? this with { AnsweredBy = AnsweredBy ?? e.AgentId }
            : this with { AnsweredAt = e.OccurredAt, AnsweredBy = e.AgentId };
    }

    private static DateTimeOffset Earliest(DateTimeOffset? known, DateTimeOffset candidate) =>
        known is { } k && k <= candidate ? k : candidate;
}
