using Azure.Core;
using Azure.Core.Pipeline;

namespace CallBalancer.Storage;

/// <summary>
/// Counts the requests the Table client sends (each is one billable storage transaction; an entity-group transaction
/// counts once). Add it with <see cref="CallBalancerTables(StorageOptions, Action{Azure.Data.Tables.TableClientOptions})"/>
/// to measure what a run costs.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _reads;
    private long _writes;

    /// <summary>Requests that read (GET).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Requests that write (POST, PUT, MERGE, PATCH, DELETE), including entity-group transactions.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>All requests.</summary>
    public long Total => Reads + Writes;

    /// <summary>Sets both counts back to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            Interlocked.Increment(ref _reads);
        }
        else
        {
            Interlocked.Increment(ref _writes);
        }
    }
}
