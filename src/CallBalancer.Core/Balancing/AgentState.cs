namespace CallBalancer.Core.Balancing;

/// <summary>What the telephony platform says an agent is doing at the moment of a snapshot.</summary>
public enum AgentState
{
    /// <summary>Logged in and idle: can take the next call at once.</summary>
    Available,

    /// <summary>Talking to a caller.</summary>
    OnCall,

    /// <summary>After-call work; will be available again shortly.</summary>
    WrapUp,

    /// <summary>Logged in but not taking calls (break, training, meeting).</summary>
    NotReady,

    /// <summary>Not logged in.</summary>
    LoggedOut,
}
