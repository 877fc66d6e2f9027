using System.Globalization;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// A discrete-event simulator of one inbound queue for one day: arrivals from real counts (spread uniformly
/// over each interval) or per-call times, service times from a distribution, exponential patience, cross-sell
/// offers that lengthen calls answered in cross-sell mode, longest-idle routing, a first-come-first-served queue,
/// a staffing plan per half-hour, and a mode policy run at the timer cadence on lagged snapshots.
/// </summary>
/// <remarks>
/// Deterministic for a seed: every call's service time, patience, offer eligibility, pitch and acceptance are
/// drawn before the day starts, in call order, so the policies compared on one seed face the same callers
/// (common random numbers); no wall clock is read.
/// </remarks>
public static class ContactCentreSimulator
{
    /// <summary>The queue id the simulated agents and snapshots carry.</summary>
    public const string QueueId = "simulated";

    /// <summary>Simulates the day under the policy.</summary>
    public static SimulationResult Run(SimulationDay day, ISimulatedPolicy policy, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        return new Run(day, policy, options).Execute();
    }

    /// <summary>The queue settings the policy is given: the model's own parameters, as a supervisor would set them.</summary>
    public static QueueSettings SettingsFor(SimulationOptions options, IServiceTimeDistribution serviceTimes, int peakAgents = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serviceTimes);
        return (options.PolicySettings ?? QueueSettings.Default) with
        {
            ServiceLevelTarget = options.TargetServiceLevel,
            TargetSeconds = options.TargetSeconds,
            PatienceSeconds = options.PatienceMeanSeconds,
            EligibleShare = options.EligibleShare,
            PitchSeconds = options.PitchMeanSeconds,
            AhtSeconds = serviceTimes.Mean,

            // Ten waiting callers is an emergency for a small queue, not for 200 agents: scale with the plan's peak.
            EmergencyQueueLength = Math.Max(
                (options.PolicySettings ?? QueueSettings.Default).EmergencyQueueLength,
                (int)Math.Round(options.EmergencyQueueShare * peakAgents)),
        };
    }

    internal static string AgentId(int index) => "a" + index.ToString("D3", CultureInfo.InvariantCulture);
}
