using CallBalancer.Core.Balancing;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>
/// Queue settings (<paramref name="defaults"/>, <see cref="QueueSettings.Default"/> when null) whose read fails, while
/// <see cref="Broken"/> is set, for the queues <paramref name="breaks"/> names (all by default).
/// </summary>
internal sealed class BreakableQueueSettings(Func<string, bool>? breaks = null, QueueSettings? defaults = null) : IQueueSettingsSource
{
    public bool Broken { get; set; }

    public QueueSettings Defaults { get; } = defaults ?? QueueSettings.Default;

    public Task<QueueSettings> GetAsync(string queueId, CancellationToken cancellationToken = default) =>
        Broken && (breaks?.Invoke(queueId) ?? true)
            ? throw new InvalidOperationException("settings row unreadable")
            : Task.FromResult(Defaults);
}
