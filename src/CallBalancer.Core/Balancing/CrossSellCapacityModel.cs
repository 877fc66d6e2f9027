using System.Collections.Concurrent;
using CallBalancer.Core.Queueing;

namespace CallBalancer.Core.Balancing;

/// <summary>
/// The policy's capacity arithmetic: the service level predicted for a queue when some of its agents cross-sell,
/// and the largest number of cross-selling agents that keeps it at a goal. Results are cached, because the policy
/// asks the same question (same interval forecast, same staffing) every few seconds.
/// </summary>
/// <remarks>
/// Model: Erlang A (M/M/N+M, Garnett, Mandelbaum &amp; Reiman 2002) with exponential patience, so abandonment
/// relieves the queue as it does in reality rather than Erlang C's infinite patience. Cross-sell lengthens the
/// calls answered by cross-selling agents: with c of N agents cross-selling and longest-idle routing, a share
/// c/N of calls meets a cross-seller, of which <see cref="QueueSettings.EligibleShare"/> get an offer of mean
/// <see cref="QueueSettings.PitchSeconds"/>, so the mean handle time is AHT + (c/N)·e·pitch. Real handle times
/// spread more than exponential ones (cv 1.23 in the 1999 bank's answered calls), but at these staffing levels that
/// does not lengthen waits: the simulator gives 97.0% with the empirical times against 96.6% with exponential ones
/// and Erlang A's 97.6% (3,800 calls/h, 196 agents), so no Allen-Cunneen correction is applied.
/// With the offer hold (<see cref="QueueSettings.OfferHold"/>, judged at the pitch), no pitch starts while callers
/// wait or while fewer than <see cref="QueueSettings.OfferHoldMinIdleAgents"/> other agents are free, so the pitch
/// lengthens calls only in the states with that many agents free: <see cref="HeldPitchServiceLevel"/>. That model lies
/// between the plain one above (every pitch made whatever the queue) and the exact Markov chain of the hold
/// (<see cref="Queueing.CrossSellThresholdPolicy"/>, threshold N − t), on the conservative side (tests bound it); at 60
/// agents, 90% load and everyone cross-selling it predicts 83.7% with a hold of 1 free agent and 86.9% with 3, against
/// the chain's 90.2% and 91.7%, service-only's 93.6% and the plain model's 40.7%. Queues of up to
/// <see cref="ExactChainMaxAgents"/> agents, where the chain costs milliseconds, get the chain itself
/// (<see cref="ExactHeldServiceLevel"/>).
/// </remarks>
internal sealed class CrossSellCapacityModel
{
    private const int MaxCacheEntries = 20_000;

    /// <summary>
    /// Up to this many agents the hold's service level comes from the exact Markov chain of the hold (a few
    /// milliseconds: about 3·10³ states at 10 agents); above it from the birth-death approximation, whose cost does not
    /// grow with the chain's N² states (at 60 agents the chain takes 10 to 25 ms, at 170 agents seconds).
    /// </summary>
    internal const int ExactChainMaxAgents = 30;

    /// <summary>The exact chain only up to this offered load per agent (service-only): 1.2.</summary>
    internal const double ExactChainMaxLoad = 1.2;

    private readonly ConcurrentDictionary<Key, Prediction> _predictions = new();
    private readonly ConcurrentDictionary<Key, int> _capacities = new();

    /// <summary>The predicted share of callers answered within the target time (0 to 1).</summary>
    public double PredictedServiceLevel(double callsPerSecond, int agents, int crossSelling, QueueSettings settings) =>
        Predict(callsPerSecond, agents, crossSelling, settings).ServiceLevel;

    /// <summary>The predicted share of callers who hang up before an answer (0 to 1; 0 with infinite patience).</summary>
    public double PredictedAbandonment(double callsPerSecond, int agents, int crossSelling, QueueSettings settings) =>
        Predict(callsPerSecond, agents, crossSelling, settings).Abandonment;

    private Prediction Predict(double callsPerSecond, int agents, int crossSelling, QueueSettings settings)
    {
        callsPerSecond = RoundUp(callsPerSecond);
        var key = new Key(callsPerSecond, agents, crossSelling, 0, 0, settings);
        if (_predictions.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var prediction = Compute(callsPerSecond, agents, crossSelling, settings);
        if (_predictions.Count > MaxCacheEntries)
        {
            _predictions.Clear();
        }

        _predictions[key] = prediction;
        return prediction;
    }

    /// <summary>
    /// The largest number of agents (0 to <paramref name="agents"/>) that may cross-sell while the predicted service
    /// level stays at or above <paramref name="goal"/> and the predicted abandonment at or below
    /// <paramref name="maxAbandonment"/>; 0 when even nobody cross-selling misses either.
    /// </summary>
    public int Capacity(double callsPerSecond, int agents, double goal, double maxAbandonment, QueueSettings settings)
    {
        // Rates come from forecasts and snapshots that change a little every run: rounded up to a 1% grid (the
        // safe side), the same question hits the cache instead of a fresh Erlang A evaluation every 15 seconds.
        callsPerSecond = RoundUp(callsPerSecond);
        goal = Math.Ceiling(goal * 2000) / 2000;
        maxAbandonment = Math.Floor(maxAbandonment * 2000) / 2000;
        var key = new Key(callsPerSecond, agents, -1, goal, maxAbandonment, settings);
        if (_capacities.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // The service level falls and the abandonment rises as cross-sellers are added (longer calls): bisection on
        // the count.
        bool Meets(int crossSelling)
        {
            var p = Predict(callsPerSecond, agents, crossSelling, settings);
            return p.ServiceLevel >= goal && p.Abandonment <= maxAbandonment;
        }

        int result;
        if (agents <= 0 || !Meets(0))
        {
            result = 0;
        }
        else if (Meets(agents))
        {
            result = agents;
        }
        else
        {
            int lo = 0, hi = agents; // Meets(lo), !Meets(hi)
            while (hi - lo > 1)
            {
                var mid = (lo + hi) / 2;
                if (Meets(mid))
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            result = lo;
        }

        if (_capacities.Count > MaxCacheEntries)
        {
            _capacities.Clear();
        }

        _capacities[key] = result;
        return result;
    }

    /// <summary>
    /// Rounds a positive rate up to the next point of a geometric grid with 1% steps. A point of the grid stays where it
    /// is (the capacity search rounds, then asks for predictions, which round again): exp and log lose a few ulps, so
    /// the grid index is taken with a tolerance far below a step.
    /// </summary>
    internal static double RoundUp(double callsPerSecond)
    {
        if (callsPerSecond <= 0)
        {
            return 0;
        }

        const double step = 0.01;
        return Math.Exp(Math.Ceiling((Math.Log(callsPerSecond) / step) - 1e-9) * step);
    }

    private static Prediction Compute(double callsPerSecond, int agents, int crossSelling, QueueSettings s)
    {
        if (callsPerSecond <= 0)
        {
            return new Prediction(1, 0);
        }

        if (agents <= 0)
        {
            return new Prediction(0, double.IsPositiveInfinity(s.PatienceSeconds) ? 0 : 1);
        }

        var share = CrossSellerCallShare(callsPerSecond, agents, crossSelling, s);
        var aht = s.AhtSeconds + share * s.EligibleShare * s.PitchSeconds;
        if (s.OfferHold && s.OfferHoldMaxWaiting == 0 && crossSelling > 0)
        {
            // The chain where it is cheap: small queues, and not far overloaded (its iterations slow down there, up to
            // seconds at twice the agents' capacity, where no capacity for cross-sell is left to find anyway). And only
            // for a reserve of at least 2 free agents: the chain assumes the hold sees the live queue, and with a reserve
            // of one a snapshot a few seconds old is often wrong about it (measured: the chain's credit then breaks the
            // half-hour bound on 5 more runs of 120), while a larger reserve absorbs that lag.
            var exact = agents <= ExactChainMaxAgents && s.OfferHoldMinIdleAgents >= 2
                && callsPerSecond * s.AhtSeconds <= ExactChainMaxLoad * agents
                && double.IsFinite(s.PatienceSeconds) && s.PitchSeconds > 0;
            return exact
                ? ExactHeld(callsPerSecond, agents, share, s)
                : HeldPitch(callsPerSecond, agents, aht, s);
        }

        var metrics = ErlangA.Evaluate(new QueueLoad(callsPerSecond, aht), agents, s.TargetSeconds, s.PatienceSeconds);
        return new Prediction(metrics.ServiceLevel, metrics.AbandonmentProbability);
    }

    /// <summary>
    /// The service level with the offer hold: no pitch starts while callers wait or while fewer than t =
    /// <see cref="QueueSettings.OfferHoldMinIdleAgents"/> other agents are free, so the pitch lengthens the calls only
    /// in the states with at least t agents free. Birth-death chain of the callers in the system: calls end at x / AHT'
    /// (the pitch-lengthened mean) in the states x ≤ m = N − t + 1, at x / AHT (service-only) from there up to N, and at
    /// N / AHT plus abandonment in the queue. The queue states are Erlang A's (or C's) at A = λ·AHT from the
    /// "blocking" B* = π_N / Σ_{x ≤ N} π_x of the states below, which is Erlang B's at A' = λ·AHT' when t = 1.
    /// </summary>
    /// <remarks>
    /// Conservative against the exact chain of the hold (<c>CrossSellThresholdPolicy</c> with threshold N − t): the state
    /// m is entered at the pitch-lengthened rate, and above it the agents still pitching finish faster (mean pitch) than
    /// the service-only rate counts them. Tests bound the gap. A threshold t ≥ N + 1 leaves no state where a pitch may
    /// start: the service level is service-only's.
    /// </remarks>
    internal static double HeldPitchServiceLevel(double callsPerSecond, int agents, double pitchLengthenedAht, QueueSettings s) =>
        HeldPitch(callsPerSecond, agents, pitchLengthenedAht, s).ServiceLevel;

    /// <summary>The service level and abandonment of <see cref="HeldPitchServiceLevel"/>'s model.</summary>
    private static Prediction HeldPitch(double callsPerSecond, int agents, double pitchLengthenedAht, QueueSettings s)
    {
        var serviceOnly = new QueueLoad(callsPerSecond, s.AhtSeconds);
        var blocking = HeldBlocking(callsPerSecond, agents, pitchLengthenedAht, s.AhtSeconds, Math.Max(1, s.OfferHoldMinIdleAgents));
        if (double.IsPositiveInfinity(s.PatienceSeconds))
        {
            var a = serviceOnly.OfferedLoadErlangs;
            if (agents <= a)
            {
                return new Prediction(0, 0);
            }

            // Relative to π_N: the states below weigh 1/B* − 1, the queue states 1/(1 − ρ) (ρ = A/N).
            var queue = agents / (agents - a);
            var wait = queue / ((1.0 / blocking) - 1.0 + queue);
            return new Prediction(ErlangC.ServiceLevelFrom(wait, agents, a, s.AhtSeconds, s.TargetSeconds), 0);
        }

        var metrics = ErlangA.Metrics(serviceOnly, agents, s.TargetSeconds, s.PatienceSeconds, blocking);
        return new Prediction(metrics.ServiceLevel, metrics.AbandonmentProbability);
    }

    /// <summary>
    /// The service level with the offer hold from the exact chain of the hold (<see cref="CrossSellThresholdPolicy"/>,
    /// threshold N − t: a pitch starts at the end of a request only while t other agents are free and nobody waits), with
    /// the cross-sellers' share of the eligible calls. Exact for everyone cross-selling; for c of N it spreads the
    /// cross-sellers' pitches over all agents, which the routing share already accounts for.
    /// </summary>
    internal static double ExactHeldServiceLevel(double callsPerSecond, int agents, double crossSellerShare, QueueSettings s) =>
        ExactHeld(callsPerSecond, agents, crossSellerShare, s).ServiceLevel;

    /// <summary>The service level and abandonment of <see cref="ExactHeldServiceLevel"/>'s chain.</summary>
    private static Prediction ExactHeld(double callsPerSecond, int agents, double crossSellerShare, QueueSettings s)
    {
        var scenario = new CrossSellScenario(
            new QueueLoad(callsPerSecond, s.AhtSeconds), s.PitchSeconds, s.EligibleShare * crossSellerShare, agents,
            new StaffingTarget(s.ServiceLevelTarget, s.TargetSeconds), s.PatienceSeconds);
        var evaluation = CrossSellThresholdPolicy.Evaluate(scenario, Math.Clamp(agents - s.OfferHoldMinIdleAgents, 0, agents));
        return new Prediction(evaluation.ServiceLevel, evaluation.AbandonmentProbability);
    }

    /// <summary>
    /// π_N / Σ_{x ≤ N} π_x for the states without a queue when calls end at x / <paramref name="pitchLengthenedAht"/>
    /// up to x = N − t + 1 and at x / <paramref name="ahtSeconds"/> above: the weights relative to π_N, from N down,
    /// are r_{x−1} = r_x · x / (λ · AHT_x), summed until they no longer count.
    /// </summary>
    internal static double HeldBlocking(double callsPerSecond, int agents, double pitchLengthenedAht, double ahtSeconds, int minIdle)
    {
        var lastPitchState = agents - minIdle + 1;
        double r = 1, sum = 1;
        for (var x = agents; x >= 1; x--)
        {
            var aht = x <= lastPitchState ? pitchLengthenedAht : ahtSeconds;
            r *= x / (callsPerSecond * aht);
            sum += r;
            if (r < 1e-17 * sum)
            {
                break;
            }

            if (sum > 1e200)
            {
                return 0; // so many agents that P(all busy) is below the double range
            }
        }

        return 1.0 / sum;
    }

    /// <summary>
    /// The share of calls answered by the <paramref name="crossSelling"/> of <paramref name="agents"/> agents under
    /// longest-idle routing (0 to 1). Each agent cycles through a call and a spell in the idle line; the line is
    /// first in, first out, so every agent spends about the same time T = idle agents / arrival rate in it, and an
    /// agent's call rate is 1 / (its mean handle time + T). Cross-sellers' calls are longer by the pitch, so they
    /// answer fewer calls than their head count: at full load (T = 0) in proportion to their throughput, in a quiet
    /// queue (T large) in proportion to their number. The share and the load it implies are solved by a few fixed-point
    /// steps from c/N.
    /// </summary>
    internal static double CrossSellerCallShare(double callsPerSecond, int agents, int crossSelling, QueueSettings s)
    {
        var c = Math.Clamp(crossSelling, 0, agents);
        if (c == 0 || c == agents || callsPerSecond <= 0)
        {
            return agents <= 0 ? 0 : (double)c / agents;
        }

        var serviceOnly = s.AhtSeconds;
        var crossSell = s.AhtSeconds + s.EligibleShare * s.PitchSeconds;
        var share = (double)c / agents;
        for (var step = 0; step < 4; step++)
        {
            var load = callsPerSecond * (serviceOnly + share * (crossSell - serviceOnly));
            var idleSpell = Math.Max(0, agents - load) / callsPerSecond;
            var cross = c / (crossSell + idleSpell);
            var service = (agents - c) / (serviceOnly + idleSpell);
            share = cross / (cross + service);
        }

        return share;
    }

    private readonly record struct Key(double Rate, int Agents, int CrossSelling, double Goal, double MaxAbandonment, QueueSettings Settings);

    private readonly record struct Prediction(double ServiceLevel, double Abandonment);
}
