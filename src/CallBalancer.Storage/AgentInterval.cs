namespace CallBalancer.Storage;

/// <summary>What one agent handled in one interval of one queue, from the telephony call events.</summary>
/// <param name="IntervalStart">The interval's start (UTC).</param>
/// <param name="HandledCalls">Calls that ended in the interval with a known handle time, credited to the agent.</param>
/// <param name="HandleTimeSeconds">Their handle time, seconds.</param>
public sealed record AgentInterval(DateTimeOffset IntervalStart, long HandledCalls, double HandleTimeSeconds);
