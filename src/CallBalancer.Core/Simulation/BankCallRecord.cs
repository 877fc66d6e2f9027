namespace CallBalancer.Core.Simulation;

/// <summary>One call of a per-call file such as <c>anonymous_bank_1999_02_calls.csv</c>.</summary>
/// <param name="Arrival">When the call arrived (entered the VRU), local wall-clock time.</param>
/// <param name="Outcome">The source outcome: <c>AGENT</c> (served), <c>HANG</c> (hung up) or <c>PHANTOM</c>.</param>
/// <param name="Queued">True when the call reached the agent queue (it has a queue start, or it was answered).</param>
/// <param name="ServiceSeconds">The agent's service time (seconds); 0 when the call was not served.</param>
public sealed record BankCallRecord(DateTime Arrival, string Outcome, bool Queued, double ServiceSeconds)
{
    /// <summary>True for a call served by an agent with a recorded service time: the calls whose times the simulator resamples.</summary>
    public bool IsAnsweredWithServiceTime => Outcome == "AGENT" && ServiceSeconds > 0;

    /// <summary>
    /// True for a call offered to the agent queue: not a phantom, and not a caller who left during the VRU stage.
    /// These are the arrivals the simulator replays from a per-call file.
    /// </summary>
    public bool IsOfferedToAgents => Outcome != "PHANTOM" && Queued;
}
