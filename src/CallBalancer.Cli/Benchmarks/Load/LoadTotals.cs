namespace CallBalancer.Cli.Benchmarks.Load;

/// <summary>What one source sent over the whole run.</summary>
internal sealed record LoadTotals(
    long TableRequests,
    long TableWriteRequests,
    long TableEntitiesWritten,
    long TableEntitiesRead,
    long QueueRequests,
    long QueueMessages,
    IReadOnlyDictionary<string, object> ByTable);
