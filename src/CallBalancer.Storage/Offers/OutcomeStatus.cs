namespace CallBalancer.Storage.Offers;

/// <summary>What happened to a posted answer.</summary>
public enum OutcomeStatus
{
    /// <summary>Recorded: history saved, ledger entry posted.</summary>
    Recorded,

    /// <summary>The same answer was recorded before (a retry); the ledger entry is ensured.</summary>
    AlreadyRecorded,

    /// <summary>Refused on its merits (contact limit, conflicting answer, reversal of nothing); nothing written.</summary>
    Rejected,

    /// <summary>No such offer was made to this customer.</summary>
    OfferNotFound,

    /// <summary>The offer was shown to another agent.</summary>
    AgentMismatch,

    /// <summary>The customer's history kept changing under us; nothing written, retry.</summary>
    Contended,

    /// <summary>The offer's product is in no catalogue this instance can read (not even after reading it again).</summary>
    ProductNotFound,
}
