namespace CallBalancer.Core.Telephony;

/// <summary>How far a call has got, in the order stages happen; a call never moves back to an earlier stage.</summary>
public enum CallStage
{
    /// <summary>No event of the call known yet.</summary>
    Unknown,

    /// <summary>In the queue, not yet answered.</summary>
    Waiting,

    /// <summary>Answered by an agent, not yet ended.</summary>
    Answered,

    /// <summary>The caller hung up before an answer.</summary>
    Abandoned,

    /// <summary>Answered and finished.</summary>
    Ended,
}
