namespace CallBalancer.Core.Kpi;

/// <summary>An agent's (or a queue's) handled calls in a period, from the telephony call events.</summary>
/// <param name="CallsHandled">
/// Calls that ended in the period with a known handle time: for an agent, those credited to the agent (the agent the
/// <c>call.ended</c> names, else the agent who answered).
/// </param>
/// <param name="TotalHandleSeconds">Their handle time (talk + hold + wrap-up as the platform reports it), in seconds.</param>
public sealed record AgentCallFacts(int CallsHandled, double TotalHandleSeconds)
{
    /// <summary>No call handled.</summary>
    public static AgentCallFacts None { get; } = new(0, 0);

    /// <summary>Average handle time in seconds; null without calls.</summary>
    public double? AverageHandleSeconds => CallsHandled > 0 ? TotalHandleSeconds / CallsHandled : null;
}
