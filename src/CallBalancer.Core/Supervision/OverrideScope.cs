namespace CallBalancer.Core.Supervision;

/// <summary>What a supervisor's override applies to.</summary>
public enum OverrideScope
{
    /// <summary>One agent is held in a mode.</summary>
    Agent,

    /// <summary>Every agent of the queue is held in a mode.</summary>
    Queue,

    /// <summary>The queue's current modes are kept as they are; only the emergency rule may change them.</summary>
    Freeze,
}
