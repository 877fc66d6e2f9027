namespace CallBalancer.Core.Queueing;

/// <summary>
/// Exact evaluation of the cross-sell threshold rule of call-blending theory (Armony &amp; Gurvich 2010; Bhulai &amp;
/// Koole 2003; Gans &amp; Zhou 2003): when an agent finishes serving an eligible caller, the agent makes the offer
/// only if at most L callers are in the system at that moment, counting that caller (fewer than L others): L = 0 never
/// offers, L = N offers whenever nobody waits. Solved as a continuous-time Markov chain.
/// </summary>
/// <remarks>
/// <para><b>Chain.</b> Poisson arrivals λ; a call's service phase is exponential with mean AHT; at its end, with
/// probability e (the eligible share) and only if the number x of callers in the system is at most L, a pitch phase
/// follows, exponential with mean <c>pitch</c>; waiting callers hang up at rate θ = 1/patience (Erlang A) or never.
/// The state is (x, p): callers in the system and agents pitching. Transitions: (x,p)→(x+1,p) at λ;
/// service end at <c>(min(x,N)−p)/AHT</c>, to (x,p+1) with probability <c>e·1{x ≤ L}</c> and otherwise to (x−1,p);
/// pitch end to (x−1,p−1) at <c>p/pitch</c>; abandonment to (x−1,p) at <c>(x−N)⁺θ</c>. L is at most N, so no
/// pitch starts while anyone waits: pitches hold p ≤ L, and the state space is (x ≤ X) × (p ≤ min(x, L)).
/// Handle times are thus exponential, or exponential plus an exponential pitch (a Coxian law), not the mixed mean
/// that <see cref="CrossSellCapacity"/> assumes.</para>
/// <para><b>Solution.</b> Block Gauss-Seidel by columns p (Stewart, <i>Introduction to the Numerical Solution of
/// Markov Chains</i>, 1994, ch. 3): for fixed p the balance equations are tridiagonal in x and are solved exactly
/// (Thomas algorithm), accelerated by two aggregation steps (ch. 6, Takahashi's iterative aggregation-disaggregation):
/// the number pitching lumped over x, and the number in the system lumped over p, are both birth-death chains, solved
/// exactly to rescale the columns and the levels (this cut the iterations about fourfold at N = 100). It starts from
/// the service-only birth-death law with a binomial spread over p and stops when an iteration changes the
/// probabilities by less than 1e−11 in total (tests: agreement with Erlang C/A at L = 0 to 1e−9, and with an
/// independent discrete-event simulation). The queue is truncated at X = N + q, where the service-only queue tail
/// (Erlang C ratio λ/(Nμ) with a 25% margin, or the Erlang A products) falls below 1e−15;
/// <see cref="ThresholdPolicyEvaluation.TruncatedMass"/> reports the mass left at the top level.</para>
/// <para><b>Service level.</b> By PASTA a caller arriving in (x, p) with x ≥ N waits with j = x − N callers ahead.
/// While it waits no pitch starts, so its progress is a small absorbing chain in (j, p): an agent frees at rate
/// <c>(N−p)/AHT + p/pitch</c> (taking the head, and p − 1 if it was a pitch), callers ahead hang up at jθ, the caller
/// itself at θ. P(answered within T) is computed for all arrival states at once by uniformization (Jensen's method)
/// of this chain with the arrival distribution as its start.</para>
/// <para><b>Cost.</b> O(states × iterations): about 3·10³ states for N = 10, 3·10⁴ for N = 100, with tens to a few
/// hundred iterations (see <c>docs/benchmarks/erlang.md</c>): milliseconds for small queues, a fraction of a second
/// at N = 100. It is meant for testing a threshold (and checking <see cref="CrossSellCapacity"/>), not for every
/// rebalance of a large queue.</para>
/// </remarks>
public static class CrossSellThresholdPolicy
{
    private const double ConvergenceTolerance = 1e-11;
    private const int MaxSweeps = 20_000;
    private const int MaxQueueLevels = 20_000;

    /// <summary>The exact steady-state performance of threshold L.</summary>
    /// <param name="scenario">Traffic, pitch, eligibility, agents, target seconds and optional patience.</param>
    /// <param name="threshold">L, from 0 (never offer) to N (offer whenever nobody waits).</param>
    /// <exception cref="ArgumentOutOfRangeException">L outside [0, N], or an Erlang C queue with λ ≥ N/AHT (no steady state).</exception>
    public static ThresholdPolicyEvaluation Evaluate(CrossSellScenario scenario, int threshold)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, scenario.Agents);
        return new Chain(scenario, threshold).Solve();
    }

    /// <summary>
    /// The largest threshold L (the most cross-selling) whose exact service level still meets the target, found by
    /// bisection (the service level falls as L grows); null when even L = 0 misses the target.
    /// </summary>
    /// <param name="scenario">Traffic, pitch, eligibility, agents, target and optional patience.</param>
    public static ThresholdPolicyEvaluation? BestThreshold(CrossSellScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var target = scenario.Target;
        bool Meets(ThresholdPolicyEvaluation e) =>
            e.ServiceLevel >= target.ServiceLevel
            && (target.MaxAbandonment is not { } ab || e.AbandonmentProbability <= ab)
            && (target.MaxOccupancy is not { } occ || e.Occupancy <= occ);

        var zero = Evaluate(scenario, 0);
        if (!Meets(zero))
        {
            return null;
        }

        var top = Evaluate(scenario, scenario.Agents);
        if (Meets(top))
        {
            return top;
        }

        int lo = 0, hi = scenario.Agents;
        var best = zero;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            var e = Evaluate(scenario, mid);
            if (Meets(e))
            {
                lo = mid;
                best = e;
            }
            else
            {
                hi = mid;
            }
        }

        return best;
    }

    private sealed class Chain
    {
        private readonly int _n;
        private readonly int _l;
        private readonly int _maxX;
        private readonly int _maxP;
        private readonly int _width;
        private readonly double _lambda;
        private readonly double _mu;
        private readonly double _muPitch;
        private readonly double _theta;
        private readonly double _eligible;
        private readonly double _t;

        public Chain(CrossSellScenario s, int threshold)
        {
            _n = s.Agents;
            _l = threshold;
            _lambda = s.Load.ArrivalRatePerSecond;
            _mu = 1.0 / s.Load.AverageHandleSeconds;
            _muPitch = s.PitchSeconds > 0 ? 1.0 / s.PitchSeconds : double.PositiveInfinity;
            _theta = s.PatienceSeconds is { } p ? 1.0 / p : 0.0;
            _eligible = s.PitchSeconds > 0 ? s.EligibleShare : 0.0; // a zero-length pitch changes nothing
            _t = s.Target.TargetSeconds;
            _maxP = _eligible > 0 ? Math.Min(_l, _n) : 0;
            _width = _maxP + 1;
            _maxX = _n + QueueLevels();
        }

        private int QueueLevels()
        {
            var nmu = _n * _mu;
            if (_theta == 0)
            {
                var rho = _lambda / nmu;
                if (rho >= 1)
                {
                    throw new ArgumentOutOfRangeException(nameof(CrossSellScenario.Load),
                        "Without abandonment the queue needs fewer than N/AHT calls per second to have a steady state.");
                }

                if (rho == 0)
                {
                    return 1;
                }

                // The Erlang C tail length to 1e-15, with a margin since pitches in progress slow the first departures.
                return (int)Math.Min(MaxQueueLevels, (1.25 * Math.Ceiling(Math.Log(1e-15) / Math.Log(rho))) + 20);
            }

            var log = 0.0;
            for (var j = 1; j < MaxQueueLevels; j++)
            {
                var ratio = _lambda / (nmu + (j * _theta));
                log += Math.Log(ratio);
                if (ratio < 1 && log < Math.Log(1e-15) - 5)
                {
                    return j + 10;
                }
            }

            return MaxQueueLevels;
        }

        private int Index(int x, int p) => (x * _width) + p;

        private int MaxPAt(int x) => Math.Min(_maxP, Math.Min(x, _n));

        private double PitchStartProbability(int x) => x <= _l ? _eligible : 0.0;

        private double OutRate(int x, int p)
        {
            var busy = Math.Min(x, _n);
            return (x < _maxX ? _lambda : 0) + ((busy - p) * _mu) + (p > 0 ? p * _muPitch : 0) + (Math.Max(0, x - _n) * _theta);
        }

        public ThresholdPolicyEvaluation Solve()
        {
            var size = (_maxX + 1) * _width;
            var pi = InitialGuess(size);
            var sub = new double[_maxX + 1];
            var diag = new double[_maxX + 1];
            var sup = new double[_maxX + 1];
            var rhs = new double[_maxX + 1];
            var sweeps = 0;
            for (; sweeps < MaxSweeps; sweeps++)
            {
                double change;
                if (_maxP == 0)
                {
                    change = Sweep(pi);
                }
                else
                {
                    AggregatePhasesAndCorrect(pi);
                    change = ColumnSweep(pi, sub, diag, sup, rhs);
                    AggregateLevelsAndCorrect(pi);

                }

                if (change < ConvergenceTolerance)
                {
                    sweeps++;
                    break;
                }
            }

            return Measures(pi, sweeps);
        }

        private double[] InitialGuess(int size)
        {
            // The service-only birth-death law of x (Erlang C/A), each level spread over p as if every busy agent
            // were pitching independently with the long-run pitch share f. Every state gets some mass: the column
            // sweeps are driven by the neighbouring columns and would stay at zero from an all-at-p = 0 start.
            var pi = new double[size];
            var pitchTime = _maxP > 0 ? _eligible / _muPitch : 0;
            var f = pitchTime / ((1 / _mu) + pitchTime);
            var odds = f / (1 - f);
            var w = 1.0;
            var total = 0.0;
            for (var x = 0; x <= _maxX; x++)
            {
                if (x > 0)
                {
                    w *= _lambda / ((Math.Min(x, _n) * _mu) + (Math.Max(0, x - _n) * _theta));
                    w = Math.Max(w, 1e-300);
                }

                var busy = Math.Min(x, _n);
                var maxP = MaxPAt(x);
                double binomial = 1, levelTotal = 0;
                for (var p = 0; p <= maxP; p++)
                {
                    if (p > 0)
                    {
                        binomial = Math.Max(binomial * (busy - p + 1) / p * odds, 1e-300);
                    }

                    pi[Index(x, p)] = binomial;
                    levelTotal += binomial;
                }

                for (var p = 0; p <= maxP; p++)
                {
                    pi[Index(x, p)] *= w / levelTotal;
                }

                total += w;
            }

            for (var i = 0; i < size; i++)
            {
                pi[i] /= total;
            }

            return pi;
        }

        /// <summary>
        /// Aggregation along x: every level's up-rate is λ in every phase, so the levels lumped with the current
        /// conditional weights over p form a birth-death chain whose down-rate is the p-weighted departure rate;
        /// solve it exactly and rescale every level to its mass. Exact at the fixed point.
        /// </summary>
        private void AggregateLevelsAndCorrect(double[] pi)
        {
            var levelMass = new double[_maxX + 1];
            var logW = new double[_maxX + 1];
            var maxLog = 0.0;
            for (var x = 0; x <= _maxX; x++)
            {
                double mass = 0, down = 0;
                for (var p = 0; p <= MaxPAt(x); p++)
                {
                    var v = pi[Index(x, p)];
                    mass += v;
                    down += v * (((Math.Min(x, _n) - p) * _mu * (1 - PitchStartProbability(x))) + (p > 0 ? p * _muPitch : 0) + (Math.Max(0, x - _n) * _theta));
                }

                levelMass[x] = mass;
                if (x > 0)
                {
                    logW[x] = down > 0 && mass > 0 ? logW[x - 1] + Math.Log(_lambda * mass / down) : double.NegativeInfinity;
                    maxLog = Math.Max(maxLog, logW[x]);
                }
            }

            double total = 0;
            for (var x = 0; x <= _maxX; x++)
            {
                logW[x] = Math.Exp(logW[x] - maxLog);
                total += logW[x];
            }

            for (var x = 0; x <= _maxX; x++)
            {
                var mass = levelMass[x];
                if (mass > 1e-250)
                {
                    var scale = logW[x] / total / mass;
                    for (var p = 0; p <= MaxPAt(x); p++)
                    {
                        pi[Index(x, p)] *= scale;
                    }
                }
            }
        }

        /// <summary>
        /// The aggregation step of iterative aggregation-disaggregation (Takahashi 1975; Koury, McAllister &amp; Stewart
        /// 1984): p changes only by pitch starts (+1) and pitch ends (−1), so the number of agents pitching, lumped
        /// over x with the current conditional weights, is a birth-death chain; solve it exactly and rescale every
        /// column p to its mass. This moves mass between columns at once, which column sweeps alone do slowly.
        /// Exact at the fixed point.
        /// </summary>
        private void AggregatePhasesAndCorrect(double[] pi)
        {
            if (_maxP == 0)
            {
                return;
            }

            var mass = new double[_maxP + 1];
            var up = new double[_maxP + 1];
            for (var x = 0; x <= _maxX; x++)
            {
                var start = PitchStartProbability(x) * _mu;
                var busy = Math.Min(x, _n);
                for (var p = 0; p <= MaxPAt(x); p++)
                {
                    var v = pi[Index(x, p)];
                    mass[p] += v;
                    up[p] += v * (busy - p) * start;
                }
            }

            // Lumped law: w_{p+1} = w_p · up_p / ((p+1)·μ_pitch), in log space.
            var logW = new double[_maxP + 1];
            var maxLog = 0.0;
            for (var p = 1; p <= _maxP; p++)
            {
                var upRate = mass[p - 1] > 0 ? up[p - 1] / mass[p - 1] : 0;
                logW[p] = upRate > 0 ? logW[p - 1] + Math.Log(upRate / (p * _muPitch)) : double.NegativeInfinity;
                maxLog = Math.Max(maxLog, logW[p]);
            }

            double total = 0;
            for (var p = 0; p <= _maxP; p++)
            {
                logW[p] = Math.Exp(logW[p] - maxLog);
                total += logW[p];
            }

            var scale = new double[_maxP + 1];
            for (var p = 0; p <= _maxP; p++)
            {
                // A column with (next to) no mass yet has no shape to scale; the next sweep fills it.
                scale[p] = mass[p] > 1e-250 ? logW[p] / total / mass[p] : 1;
            }

            for (var x = 0; x <= _maxX; x++)
            {
                for (var p = 0; p <= MaxPAt(x); p++)
                {
                    pi[Index(x, p)] *= scale[p];
                }
            }
        }

        /// <summary>
        /// One block Gauss-Seidel sweep by columns: for each p in turn, the balance equations of the states (x, p),
        /// x = p..X, form a tridiagonal system in x (arrivals up, service ends and abandonment down) given the other
        /// columns, solved exactly by the Thomas algorithm (stable: the matrix is diagonally dominant by columns).
        /// Returns the total absolute change after renormalising.
        /// </summary>
        private double ColumnSweep(double[] pi, double[] sub, double[] diag, double[] sup, double[] rhs)
        {
            double change = 0, total = 0;
            for (var p = 0; p <= _maxP; p++)
            {
                var lo = p;
                for (var x = lo; x <= _maxX; x++)
                {
                    var other = 0.0;
                    if (p > 0)
                    {
                        other += pi[Index(x, p - 1)] * (Math.Min(x, _n) - (p - 1)) * _mu * PitchStartProbability(x);
                    }

                    if (x < _maxX && p + 1 <= MaxPAt(x + 1))
                    {
                        other += pi[Index(x + 1, p + 1)] * (p + 1) * _muPitch;
                    }

                    var up = x + 1;
                    sub[x] = x > lo ? -_lambda : 0;
                    sup[x] = x < _maxX ? -(((Math.Min(up, _n) - p) * _mu * (1 - PitchStartProbability(up))) + (Math.Max(0, up - _n) * _theta)) : 0;
                    diag[x] = OutRate(x, p);
                    rhs[x] = other;
                }

                // Thomas algorithm: eliminate the sub-diagonal downwards, then substitute back.
                for (var x = lo + 1; x <= _maxX; x++)
                {
                    var m = sub[x] / diag[x - 1];
                    diag[x] -= m * sup[x - 1];
                    rhs[x] -= m * rhs[x - 1];
                }

                var next = 0.0;
                for (var x = _maxX; x >= lo; x--)
                {
                    var v = (rhs[x] - (x < _maxX ? sup[x] * next : 0)) / diag[x];
                    var i = Index(x, p);
                    next = v;
                    change += Math.Abs(v - pi[i]);
                    pi[i] = v;
                    total += v;
                }
            }

            var inv = 1.0 / total;
            for (var i = 0; i < pi.Length; i++)
            {
                pi[i] *= inv;
            }

            return change * inv;
        }

        /// <summary>One Gauss-Seidel sweep of πQ = 0 in level order; returns the total absolute change after renormalising.</summary>
        private double Sweep(double[] pi)
        {
            double change = 0, total = 0;
            for (var x = 0; x <= _maxX; x++)
            {
                var maxP = MaxPAt(x);
                for (var p = 0; p <= maxP; p++)
                {
                    var i = Index(x, p);
                    var v = Inflow(pi, x, p) / OutRate(x, p);
                    change += Math.Abs(v - pi[i]);
                    pi[i] = v;
                    total += v;
                }
            }

            var inv = 1.0 / total;
            for (var i = 0; i < pi.Length; i++)
            {
                pi[i] *= inv;
            }

            return change * inv;
        }

        /// <summary>Probability flow into (x, p) from its neighbours under the current π.</summary>
        private double Inflow(double[] pi, int x, int p)
        {
            var inflow = 0.0;
            if (x > 0 && p <= MaxPAt(x - 1))
            {
                inflow += pi[Index(x - 1, p)] * _lambda;
            }

            if (p > 0)
            {
                // A service end at (x, p−1) that turned into a pitch.
                inflow += pi[Index(x, p - 1)] * (Math.Min(x, _n) - (p - 1)) * _mu * PitchStartProbability(x);
            }

            if (x < _maxX)
            {
                var up = x + 1;
                var rate = ((Math.Min(up, _n) - p) * _mu * (1 - PitchStartProbability(up))) + (Math.Max(0, up - _n) * _theta);
                inflow += pi[Index(up, p)] * rate;
                if (p + 1 <= MaxPAt(up))
                {
                    inflow += pi[Index(up, p + 1)] * (p + 1) * _muPitch;
                }
            }

            return inflow;
        }

        /// <summary>Global balance residual Σ|inflow − outflow| / Σ outflow: 0 for the exact stationary law.</summary>
        private double BalanceResidual(double[] pi)
        {
            double residual = 0, flow = 0;
            for (var x = 0; x <= _maxX; x++)
            {
                for (var p = 0; p <= MaxPAt(x); p++)
                {
                    var outflow = pi[Index(x, p)] * OutRate(x, p);
                    residual += Math.Abs(Inflow(pi, x, p) - outflow);
                    flow += outflow;
                }
            }

            return residual / flow;
        }

        private ThresholdPolicyEvaluation Measures(double[] pi, int sweeps)
        {
            double probWait = 0, meanQueue = 0, busy = 0, offers = 0, immediate = 0, topLevel = 0;
            var states = 0;
            for (var x = 0; x <= _maxX; x++)
            {
                for (var p = 0; p <= MaxPAt(x); p++)
                {
                    states++;
                    var v = pi[Index(x, p)];
                    busy += v * Math.Min(x, _n);
                    meanQueue += v * Math.Max(0, x - _n);
                    offers += v * (Math.Min(x, _n) - p) * _mu * PitchStartProbability(x);
                    if (x >= _n)
                    {
                        probWait += v;
                    }
                    else
                    {
                        immediate += v;
                    }

                    if (x == _maxX)
                    {
                        topLevel += v;
                    }
                }
            }

            var abandon = _theta * meanQueue / _lambda;
            var answeredRate = _lambda * (1 - abandon - topLevel);
            var sl = immediate + AnsweredWithinTarget(pi);
            return new ThresholdPolicyEvaluation(
                _l,
                probWait,
                Math.Clamp(sl, 0, 1),
                meanQueue / _lambda,
                abandon,
                answeredRate > 0 ? busy / answeredRate : 0,
                answeredRate > 0 ? offers / answeredRate : 0,
                offers * 3600,
                busy / _n,
                topLevel,
                states,
                sweeps,
                BalanceResidual(pi));
        }

        /// <summary>Σ over waiting arrivals of P(arrive in (x,p)) · P(answered within T | x − N ahead, p pitching), by uniformization.</summary>
        private double AnsweredWithinTarget(double[] pi)
        {
            var levels = _maxX - _n; // j = 0 .. levels − 1 (an arrival at the top level is lost)
            if (levels <= 0 || _t <= 0)
            {
                return 0;
            }

            var pitchRate = double.IsPositiveInfinity(_muPitch) ? 0 : _muPitch;
            var rate = (_n * Math.Max(_mu, pitchRate)) + ((levels + 1) * _theta);
            var lt = rate * _t;

            // Start: the tagged caller's (j, p) distribution, unnormalised (weights are stationary probabilities).
            var cur = new double[levels * _width];
            var next = new double[cur.Length];
            for (var j = 0; j < levels; j++)
            {
                for (var p = 0; p <= MaxPAt(_n + j); p++)
                {
                    cur[(j * _width) + p] = pi[Index(_n + j, p)];
                }
            }

            // P(answered by T) = Σ_m Poisson(m; ΛT) · (mass absorbed into "answered" within m uniformized jumps).
            double answeredSoFar = 0, result = 0;
            var logPoisson = -lt;
            for (var m = 1; m < 10_000_000; m++)
            {
                Array.Clear(next);
                for (var j = 0; j < levels; j++)
                {
                    for (var p = 0; p <= _maxP; p++)
                    {
                        var v = cur[(j * _width) + p];
                        if (v == 0)
                        {
                            continue;
                        }

                        var serviceEnd = (_n - p) * _mu / rate;
                        var pitchEnd = p * pitchRate / rate;
                        var aheadLeaves = j * _theta / rate;
                        var selfLeaves = _theta / rate;
                        var stay = 1 - serviceEnd - pitchEnd - aheadLeaves - selfLeaves;
                        if (j == 0)
                        {
                            answeredSoFar += v * (serviceEnd + pitchEnd);
                        }
                        else
                        {
                            next[((j - 1) * _width) + p] += v * (serviceEnd + aheadLeaves);
                            if (p > 0)
                            {
                                next[((j - 1) * _width) + p - 1] += v * pitchEnd;
                            }
                        }

                        next[(j * _width) + p] += v * stay;
                    }
                }

                (cur, next) = (next, cur);
                logPoisson += Math.Log(lt) - Math.Log(m);
                var poisson = Math.Exp(logPoisson);
                result += poisson * answeredSoFar;
                if (m > lt && poisson < 1e-17)
                {
                    break;
                }
            }

            return result;
        }
    }
}
