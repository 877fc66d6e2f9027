using CallBalancer.Core.Balancing;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>Queue settings whose read fails, while <see cref="Broken"/> is set, for the queues <paramref name="breaks"/> names (all by default).</summary>
internal sealed class BreakableQueueSettings(Func<string, bool>? breaks = null) : IQueueSettingsSource
{
    public bool Broken { get; set; }

    public Task<QueueSettings> GetAsync(string queueId, CancellationToken cancellationToken = default) =>
        Broken && (breaks?.Invoke(queueId) ?? true)
            ? throw new InvalidOperationException("settings row unreadable")
            : Task.FromResult(QueueSettings.Default);
}
