using CallBalancer.Core.Kpi;

namespace CallBalancer.Storage.Kpi;

/// <summary>A queue's KPI report for a period and the reports of its agents in that queue.</summary>
/// <param name="Report">The queue's totals: offers made in the queue, and every call it handled.</param>
/// <param name="Agents">Each agent's offers made and calls handled in this queue, by agent id.</param>
/// <param name="CallsWithoutAgent">Calls the queue handled that no event credits to an agent (the platform named none); null when call facts are unavailable.</param>
public sealed record QueueKpiReport(KpiReport Report, IReadOnlyList<(string AgentId, KpiReport Report)> Agents, int? CallsWithoutAgent)
{
    /// <summary>The handle seconds of the calls in <see cref="CallsWithoutAgent"/> (the queue's less the agents').</summary>
    public double SecondsWithoutAgent { get; init; }
}
