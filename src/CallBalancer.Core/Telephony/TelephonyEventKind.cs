namespace CallBalancer.Core.Telephony;

/// <summary>The kinds of event the telephony platform (ACD) reports, after mapping from its own vocabulary.</summary>
public enum TelephonyEventKind
{
    /// <summary><c>call.arrived</c>: a caller entered the queue (one offered call).</summary>
    CallArrived,

    /// <summary><c>call.answered</c>: an agent took the call off the queue.</summary>
    CallAnswered,

    /// <summary><c>call.abandoned</c>: the caller hung up while waiting in the queue.</summary>
    CallAbandoned,

    /// <summary><c>call.ended</c>: an answered call finished (talk, hold and wrap-up done), with its reason code.</summary>
    CallEnded,

    /// <summary><c>agent.state</c>: an agent's presence changed (logged-in, available, on-call, wrap-up, not-ready, logged-out).</summary>
    AgentState,

    /// <summary><c>queue.snapshot</c>: the platform's count of waiting calls and the oldest wait, optionally with its agents.</summary>
    QueueSnapshot,
}
