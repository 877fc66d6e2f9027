using Azure.Core;
using Azure.Core.Pipeline;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// Counts HTTP requests to the Table service (each try of each call; an entity-group transaction is one request), the
/// unit storage bills as a transaction. Registered as a pipeline policy of the app's table client.
/// </summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
