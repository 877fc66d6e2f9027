using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// Per-queue settings from the supervisor's table (one point read per call), falling back to the configured
/// defaults for a queue nobody has configured. Read at every rebalance, so a saved change takes effect at the next one.
/// </summary>
public sealed class TableQueueSettingsSource(SupervisionStore store, QueueSettings defaults) : IQueueSettingsSource
{
    /// <inheritdoc />
    public QueueSettings Defaults => defaults;

    /// <inheritdoc />
    public async Task<QueueSettings> GetAsync(string queueId, CancellationToken cancellationToken = default)
    {
        var stored = await store.GetSettingsAsync(queueId, cancellationToken);
        return stored is null ? defaults : stored.Settings.ApplyTo(defaults);
    }
}
