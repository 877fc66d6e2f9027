namespace CallBalancer.Core.Queueing;

/// <summary>
/// Blending capacity: the largest number k of a queue's N agents that may be in cross-sell mode while the
/// predicted service level still meets the target. This is the fast model the balancing policy calls on every
/// rebalance; <see cref="CrossSellThresholdPolicy"/> evaluates the corresponding threshold rule exactly.
/// </summary>
/// <remarks>
/// <para><b>Theory.</b> In call blending, inbound calls share agents with deferrable work; the optimal policies
/// are thresholds: do the deferrable work only while the number of inbound callers in the system (or idle agents
/// held back) is on the safe side of a threshold (Bhulai &amp; Koole, "A queueing model for call blending in call
/// centers", IEEE TAC 2003; Gans &amp; Zhou, "A call-routing problem with service-level constraints", OR 2003).
/// Armony &amp; Gurvich ("When promotions meet operations: cross-selling and its effect on call center
/// performance", MSOM 2010) study the cross-sell case, where the deferrable work is attached to the inbound call
/// and lengthens it, and show that cross-selling only while the number of callers in the system is below a
/// threshold is asymptotically optimal.</para>
/// <para><b>Model (an approximation).</b> A service-only agent handles a call in AHT on average; a cross-selling
/// agent adds the pitch to the eligible share e of its calls, so its calls last <c>h_c = AHT + e·pitch</c>. Agents
/// are busy whenever callers wait, so each agent's throughput is the inverse of its mean handle time, and the k
/// cross-sellers take the share <c>s_c = (k/h_c) / (k/h_c + (N−k)/AHT)</c> of the calls. The queue is then
/// evaluated as Erlang C (or Erlang A) with N agents and the throughput-weighted mean handle time
/// <c>h = N / (k/h_c + (N−k)/AHT)</c>, i.e. the same total service capacity. This keeps the M/M/N form (exponential
/// handle times with the mixed mean); it ignores that real handle times become a mixture, and that the pitch
/// decision in practice looks at the queue (which the exact threshold evaluation does model). The service level
/// falls as k grows, so k is found by bisection: O(log N) Erlang evaluations.</para>
/// </remarks>
public static class CrossSellCapacity
{
    /// <summary>The largest k meeting the target, with the offer share and the service level at 0 and at k.</summary>
    /// <param name="scenario">Traffic, pitch, eligibility, agents, target and optional patience.</param>
    public static CrossSellCapacityResult Compute(CrossSellScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var none = Predict(scenario, 0);
        if (!scenario.Target.IsMetBy(none))
        {
            return Result(scenario, 0, none, none, false);
        }

        var all = Predict(scenario, scenario.Agents);
        if (scenario.Target.IsMetBy(all))
        {
            return Result(scenario, scenario.Agents, none, all, true);
        }

        // Invariant: lo meets the target, hi does not.
        int lo = 0, hi = scenario.Agents;
        var best = none;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            var m = Predict(scenario, mid);
            if (scenario.Target.IsMetBy(m))
            {
                lo = mid;
                best = m;
            }
            else
            {
                hi = mid;
            }
        }

        return Result(scenario, lo, none, best, true);
    }

    /// <summary>The queue's mean handle time with k agents cross-selling (seconds): <c>N / (k/h_c + (N−k)/AHT)</c>.</summary>
    /// <param name="scenario">The queue.</param>
    /// <param name="crossSellAgents">k, agents in cross-sell mode (0 to N).</param>
    public static double MixedHandleSeconds(CrossSellScenario scenario, int crossSellAgents)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfNegative(crossSellAgents);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(crossSellAgents, scenario.Agents);
        var aht = scenario.Load.AverageHandleSeconds;
        var hc = aht + (scenario.EligibleShare * scenario.PitchSeconds);
        return scenario.Agents / ((crossSellAgents / hc) + ((scenario.Agents - crossSellAgents) / aht));
    }

    /// <summary>Share of answered calls that carry an offer with k agents cross-selling: <c>e · s_c</c>.</summary>
    /// <param name="scenario">The queue.</param>
    /// <param name="crossSellAgents">k, agents in cross-sell mode (0 to N).</param>
    public static double OfferShare(CrossSellScenario scenario, int crossSellAgents)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var aht = scenario.Load.AverageHandleSeconds;
        var hc = aht + (scenario.EligibleShare * scenario.PitchSeconds);
        var crossRate = crossSellAgents / hc;
        var total = crossRate + ((scenario.Agents - crossSellAgents) / aht);
        return total == 0 ? 0 : scenario.EligibleShare * crossRate / total;
    }

    /// <summary>Erlang C (or A) prediction with k agents cross-selling, using the mixed mean handle time.</summary>
    /// <param name="scenario">The queue.</param>
    /// <param name="crossSellAgents">k, agents in cross-sell mode (0 to N).</param>
    public static QueueMetrics Predict(CrossSellScenario scenario, int crossSellAgents) =>
        scenario.Predict(MixedHandleSeconds(scenario, crossSellAgents));

    private static CrossSellCapacityResult Result(CrossSellScenario s, int k, QueueMetrics none, QueueMetrics atK, bool met)
    {
        var share = OfferShare(s, k);
        var answeredPerHour = s.Load.CallsPerHour * (1 - atK.AbandonmentProbability);
        return new CrossSellCapacityResult(k, share, answeredPerHour * share, MixedHandleSeconds(s, k), none, atK, met);
    }
}
