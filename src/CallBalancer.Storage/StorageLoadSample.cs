namespace CallBalancer.Storage;

/// <summary>What one second of the counter's clock sent to one partition (see <see cref="StorageRequestCounter.Load"/>).</summary>
/// <param name="Source">The counter's <see cref="StorageRequestCounter.Source"/> when the requests were sent.</param>
/// <param name="Service"><c>table</c> or <c>queue</c>.</param>
/// <param name="Resource">The table or queue name.</param>
/// <param name="Partition">The partition key (the queue name for queues; <c>*</c> for a cross-partition query).</param>
/// <param name="Second">Unix seconds of the counter's clock when the requests were sent.</param>
/// <param name="Requests">Requests (billable transactions).</param>
/// <param name="WriteRequests">Of those, the requests that write.</param>
/// <param name="EntitiesWritten">Entities or messages written (each operation of an entity-group transaction counts).</param>
/// <param name="EntitiesRead">Entities or messages the reads returned.</param>
public sealed record StorageLoadSample(string Source, string Service, string Resource, string Partition, long Second, long Requests, long WriteRequests, long EntitiesWritten, long EntitiesRead)
{
    /// <summary>Entities written plus read: what the per-partition target (2,000 entities/s) counts.</summary>
    public long Entities => EntitiesWritten + EntitiesRead;
}
