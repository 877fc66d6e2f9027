namespace CallBalancer.Core.Balancing;

/// <summary>One agent's cross-sell record, used to prefer agents who sell better.</summary>
/// <param name="Offers">Offers the agent has made (calls).</param>
/// <param name="Acceptances">Offers the caller accepted (calls).</param>
public sealed record AgentCrossSellStats(int Offers, int Acceptances);
