namespace CallBalancer.Core.Simulation;

/// <summary>One half-hour of a simulated day (calls counted by the half-hour they arrived in).</summary>
/// <param name="StartSeconds">The half-hour's start (seconds since midnight).</param>
/// <param name="OfferedCalls">Calls that arrived (calls).</param>
/// <param name="AnsweredWithinTarget">Calls answered within the target time (calls).</param>
/// <param name="AbandonedCalls">Calls that hung up before an answer (calls).</param>
/// <param name="PlannedAgents">Agents in the staffing plan (agents).</param>
/// <param name="MeanStaffedAgents">Agents logged in, averaged over the timer runs of the half-hour (agents).</param>
/// <param name="MeanCrossSellAgents">Agents in cross-sell mode, averaged likewise (agents).</param>
/// <param name="CrossSellOffers">Offers made on calls answered in the half-hour (calls).</param>
public sealed record HalfHourResult(
    int StartSeconds,
    int OfferedCalls,
    int AnsweredWithinTarget,
    int AbandonedCalls,
    int PlannedAgents,
    double MeanStaffedAgents,
    double MeanCrossSellAgents,
    int CrossSellOffers)
{
    /// <summary>Share of offered calls answered within the target (1 when nothing was offered).</summary>
    public double ServiceLevel => OfferedCalls == 0 ? 1 : (double)AnsweredWithinTarget / OfferedCalls;
}
