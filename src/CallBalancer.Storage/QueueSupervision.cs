using CallBalancer.Core.Supervision;

namespace CallBalancer.Storage;

/// <summary>A queue's supervisor state read in one query: its stored settings (null for defaults) and its overrides (lapsed ones included).</summary>
/// <param name="Settings">The stored settings, or null when the queue runs on the configured defaults.</param>
/// <param name="Overrides">Every stored override.</param>
public sealed record QueueSupervision(StoredSettings? Settings, IReadOnlyList<ModeOverride> Overrides)
{
    /// <summary>No settings and no overrides.</summary>
    public static QueueSupervision None { get; } = new(null, []);
}
