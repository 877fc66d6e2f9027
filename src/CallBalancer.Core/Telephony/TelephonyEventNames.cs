namespace CallBalancer.Core.Telephony;

/// <summary>The wire names of <see cref="TelephonyEventKind"/> (<c>call.arrived</c> ...) and of agent presence states.</summary>
public static class TelephonyEventNames
{
    private static readonly Dictionary<string, TelephonyEventKind> Kinds = new(StringComparer.Ordinal)
    {
        ["call.arrived"] = TelephonyEventKind.CallArrived,
        ["call.answered"] = TelephonyEventKind.CallAnswered,
        ["call.abandoned"] = TelephonyEventKind.CallAbandoned,
        ["call.ended"] = TelephonyEventKind.CallEnded,
        ["agent.state"] = TelephonyEventKind.AgentState,
        ["queue.snapshot"] = TelephonyEventKind.QueueSnapshot,
    };

    private static readonly HashSet<string> PresenceStates = new(StringComparer.Ordinal)
    {
        "logged-in", "available", "on-call", "wrap-up", "not-ready", "logged-out",
    };

    /// <summary>Every accepted event type name, for error messages and the JSON Schema.</summary>
    public static IReadOnlyCollection<string> KindNames => Kinds.Keys;

    /// <summary>Every accepted <c>agent.state</c> state name.</summary>
    public static IReadOnlyCollection<string> PresenceStateNames => PresenceStates;

    /// <summary>Parses a wire name such as <c>call.arrived</c> (case-sensitive).</summary>
    public static bool TryParseKind(string? name, out TelephonyEventKind kind) => Kinds.TryGetValue(name ?? string.Empty, out kind);

    /// <summary>The wire name of a kind.</summary>
    public static string ToName(this TelephonyEventKind kind) => Kinds.First(k => k.Value == kind).Key;

    /// <summary>True for one of the six presence state names of <c>agent.state</c>.</summary>
    public static bool IsPresenceState(string? name) => name is not null && PresenceStates.Contains(name);

    /// <summary>
    /// The balancer's view of a presence state. <c>logged-in</c> (signed in, not yet taking calls) counts as
    /// <see cref="Balancing.AgentState.NotReady"/>: it adds no capacity until the agent becomes available.
    /// </summary>
    public static Balancing.AgentState ToAgentState(string presence) => presence switch
    {
        "available" => Balancing.AgentState.Available,
        "on-call" => Balancing.AgentState.OnCall,
        "wrap-up" => Balancing.AgentState.WrapUp,
        "logged-out" => Balancing.AgentState.LoggedOut,
        _ => Balancing.AgentState.NotReady,
    };
}
