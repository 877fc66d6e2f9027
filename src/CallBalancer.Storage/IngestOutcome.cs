namespace CallBalancer.Storage;

/// <summary>The answer for one event of a batch.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Status">Accepted or duplicate.</param>
public sealed record IngestOutcome(string EventId, IngestStatus Status);
