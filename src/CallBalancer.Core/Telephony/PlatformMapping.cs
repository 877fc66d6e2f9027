namespace CallBalancer.Core.Telephony;

/// <summary>
/// The result of mapping one platform callback onto internal events: the events (possibly none, when the platform
/// event type carries nothing the balancer uses), or the fields that made it unusable.
/// </summary>
/// <param name="Events">The internal events.</param>
/// <param name="Errors">Field name to messages; empty when the callback was usable.</param>
/// <param name="Ignored">Why nothing was mapped, for a callback that is valid but irrelevant (e.g. <c>task.updated</c>).</param>
public sealed record PlatformMapping(IReadOnlyList<TelephonyEvent> Events, IReadOnlyDictionary<string, string[]> Errors, string? Ignored)
{
    /// <summary>True when the callback could not be mapped.</summary>
    public bool IsInvalid => Errors.Count > 0;

    /// <summary>A mapping to these events.</summary>
    public static PlatformMapping Of(params TelephonyEvent[] events) => new(events, new Dictionary<string, string[]>(), null);

    /// <summary>A valid callback that maps to nothing.</summary>
    public static PlatformMapping Skip(string why) => new([], new Dictionary<string, string[]>(), why);

    /// <summary>An unusable callback.</summary>
    public static PlatformMapping Invalid(IReadOnlyDictionary<string, string[]> errors) => new([], errors, null);
}
