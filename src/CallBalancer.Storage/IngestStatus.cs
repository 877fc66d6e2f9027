namespace CallBalancer.Storage;

/// <summary>What ingestion did with one event.</summary>
public enum IngestStatus
{
    /// <summary>Recorded for the first time: counted in its interval and applied to call, agent or queue state.</summary>
    Accepted,

    /// <summary>Its event id was recorded before (or earlier in the same batch): nothing changed.</summary>
    Duplicate,
}
