namespace CallBalancer.Core.Kpi;

/// <summary>An agent's handled calls in a period, from the telephony call events.</summary>
/// <param name="CallsHandled">Calls answered and ended by the agent in the period.</param>
/// <param name="TotalHandleSeconds">Their handle time (talk + hold + wrap-up as the platform reports it), in seconds.</param>
public sealed record AgentCallFacts(int CallsHandled, double TotalHandleSeconds)
{
    /// <summary>Average handle time in seconds; null without calls.</summary>
    public double? AverageHandleSeconds => CallsHandled > 0 ? TotalHandleSeconds / CallsHandled : null;
}
