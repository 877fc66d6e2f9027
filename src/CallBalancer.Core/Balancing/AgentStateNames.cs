namespace CallBalancer.Core.Balancing;

/// <summary>The wire names of <see cref="AgentState"/> and <see cref="AgentMode"/> (kebab-case), both ways.</summary>
public static class AgentStateNames
{
    private static readonly Dictionary<string, AgentState> States = new(StringComparer.Ordinal)
    {
        ["available"] = AgentState.Available,
        ["on-call"] = AgentState.OnCall,
        ["wrap-up"] = AgentState.WrapUp,
        ["not-ready"] = AgentState.NotReady,
        ["logged-out"] = AgentState.LoggedOut,
    };

    /// <summary>The accepted state names, for error messages.</summary>
    public static IReadOnlyCollection<string> StateNames => States.Keys;

    /// <summary>Parses a wire name such as <c>on-call</c>; false for anything else (case-sensitive).</summary>
    public static bool TryParseState(string? name, out AgentState state) =>
        States.TryGetValue(name ?? string.Empty, out state);

    /// <summary>The wire name of a state.</summary>
    public static string ToName(this AgentState state) => state switch
    {
        AgentState.Available => "available",
        AgentState.OnCall => "on-call",
        AgentState.WrapUp => "wrap-up",
        AgentState.NotReady => "not-ready",
        AgentState.LoggedOut => "logged-out",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The wire name of a mode: <c>service-only</c> or <c>cross-sell</c>.</summary>
    public static string ToName(this AgentMode mode) => mode switch
    {
        AgentMode.ServiceOnly => "service-only",
        AgentMode.CrossSell => "cross-sell",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses <c>service-only</c> or <c>cross-sell</c>.</summary>
    public static bool TryParseMode(string? name, out AgentMode mode)
    {
        switch (name)
        {
            case "service-only":
                mode = AgentMode.ServiceOnly;
                return true;
            case "cross-sell":
                mode = AgentMode.CrossSell;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    /// <summary>True when the agent is logged in and taking calls (available, on a call or in wrap-up).</summary>
    public static bool IsStaffed(this AgentState state) =>
        state is AgentState.Available or AgentState.OnCall or AgentState.WrapUp;
}
