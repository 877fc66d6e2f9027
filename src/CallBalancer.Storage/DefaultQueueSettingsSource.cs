using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>Every queue gets the same configured settings.</summary>
public sealed class DefaultQueueSettingsSource(QueueSettings defaults) : IQueueSettingsSource
{
    /// <inheritdoc />
    public QueueSettings Defaults => defaults;

    /// <inheritdoc />
    public Task<QueueSettings> GetAsync(string queueId, CancellationToken cancellationToken = default) => Task.FromResult(defaults);
}
