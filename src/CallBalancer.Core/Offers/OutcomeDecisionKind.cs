namespace CallBalancer.Core.Offers;

/// <summary>What recording an answer did.</summary>
public enum OutcomeDecisionKind
{
    /// <summary>The answer is new: the history changes and a ledger entry is posted.</summary>
    Recorded,

    /// <summary>The same answer was recorded before (a retry): nothing changes.</summary>
    AlreadyRecorded,

    /// <summary>The answer cannot be recorded (contact limit, a different answer already recorded, a reversal of nothing).</summary>
    Rejected,
}
