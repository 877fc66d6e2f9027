namespace CallBalancer.Core.Queueing;

/// <summary>
/// Erlang A (M/M/N+M, Palm's model as analysed by Garnett, Mandelbaum &amp; Reiman, "Designing a call center
/// with impatient customers", MSOM 2002): Poisson arrivals λ, exponential handle times (rate μ = 1/AHT),
/// N agents, and callers who hang up after an exponential patience with mean 1/θ unless answered first.
/// It is always stable, and it is what real queues look like: overload shows up as abandonment.
/// </summary>
/// <remarks>
/// <para>Computed exactly from the birth-death chain of the number of calls in the system
/// (Mandelbaum &amp; Zeltyn, "The Palm/Erlang-A queue, with applications to call centers", 2005, §2).
/// With π_k the stationary probabilities, π_k ∝ A^k/k! for k ≤ N and
/// <c>π_{N+j} = π_N Π_{i=1..j} λ / (Nμ + iθ)</c>. Relative to π_N, the states below N weigh
/// <c>1/B(N, A) − 1</c> (Erlang B, so no factorials), and the queue states weigh
/// <c>r_j = Π_{i=1..j} λ/(Nμ + iθ)</c>; their sum is Mandelbaum and Zeltyn's <c>A(Nμ/θ, λ/θ)</c>
/// and <c>P(W &gt; 0) = A·B / (1 + (A − 1)·B)</c>.</para>
/// <para>By PASTA an arriving call sees j callers already queued with probability ∝ r_j. It then moves up
/// the queue at rate <c>Nμ + kθ</c> with k callers ahead and hangs up at rate θ, so it is answered with
/// probability <c>q_j = Nμ / (Nμ + (j+1)θ)</c> (the product telescopes), and given that, its wait is a sum of
/// independent exponentials with rates <c>Nμ + θ, Nμ + 2θ, …, Nμ + (j+1)θ</c>, whose distribution function is
/// the regularized incomplete beta <c>I_z(j+1, Nμ/θ + 1)</c> with <c>z = 1 − e^{−θT}</c> (partial fractions of
/// the hypoexponential law, summed with <c>1/(x+m) = ∫₀¹ s^{x+m−1} ds</c>). The values for successive j follow from
/// <c>I_z(a+1, b) = I_z(a, b) − Γ(a+b)/(Γ(a+1)Γ(b)) z^a (1−z)^b</c> (Abramowitz &amp; Stegun 26.5.16), the terms
/// carried in scaled form so that nothing under- or overflows for 10,000 agents.</para>
/// <para>The series over j stops once its terms are decreasing and below 1e−17 of the sum: exact to rounding.
/// Cost: O(√A) for Erlang B plus the queue states that matter, about <c>(λ − Nμ)⁺/θ + 9√(λ/θ)</c>.</para>
/// </remarks>
public static class ErlangA
{
    /// <summary>The longest queue the series may walk before giving up (calls); only an absurd patience on an overloaded queue reaches it.</summary>
    private const double MaxQueueStates = 20_000_000;

    /// <summary>Every Erlang A figure for one queue and one staffing level.</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="agents">N, agents (≥ 0).</param>
    /// <param name="targetSeconds">T of the service level (seconds, ≥ 0).</param>
    /// <param name="patienceSeconds">Mean patience 1/θ of a waiting caller (seconds, &gt; 0); +∞ gives Erlang C.</param>
    /// <returns>
    /// <see cref="QueueMetrics.ServiceLevel"/> is the share of all offered calls answered within T (abandoned calls never count);
    /// <see cref="QueueMetrics.AverageSpeedOfAnswerSeconds"/> is the mean wait of answered calls;
    /// <see cref="QueueMetrics.AverageWaitSeconds"/> is the mean time in queue of all calls (<c>= P(Ab)/θ</c>);
    /// occupancy is the carried load <c>A(1 − P(Ab))/N</c>.
    /// </returns>
    public static QueueMetrics Evaluate(QueueLoad load, int agents, double targetSeconds, double patienceSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ErlangC.CheckTarget(targetSeconds);
        CheckPatience(patienceSeconds);
        if (double.IsPositiveInfinity(patienceSeconds))
        {
            return ErlangC.Evaluate(load, agents, targetSeconds);
        }

        return Metrics(load, agents, targetSeconds, patienceSeconds, ErlangB.Blocking(agents, load.OfferedLoadErlangs));
    }

    /// <summary>P(Ab): the share of offered calls that hang up before being answered.</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="agents">N, agents.</param>
    /// <param name="patienceSeconds">Mean patience (seconds).</param>
    public static double AbandonmentProbability(QueueLoad load, int agents, double patienceSeconds) =>
        Evaluate(load, agents, 0, patienceSeconds).AbandonmentProbability;

    /// <summary>The metrics from an Erlang B value already known for (N, A); used by the staffing search.</summary>
    internal static QueueMetrics Metrics(QueueLoad load, int n, double targetSeconds, double patienceSeconds, double blocking)
    {
        var lambda = load.ArrivalRatePerSecond;
        var a = load.OfferedLoadErlangs;
        if (lambda == 0 || blocking == 0)
        {
            // No traffic, or so many agents that P(all busy) is below the double range: nobody waits.
            return new QueueMetrics(n, a, targetSeconds, 0, 1, 0, 0, 0, n == 0 ? 0 : a / n, true);
        }

        var theta = 1.0 / patienceSeconds;
        var nmu = n / load.AverageHandleSeconds;
        if ((lambda - nmu) / theta > MaxQueueStates)
        {
            throw new ArgumentOutOfRangeException(nameof(patienceSeconds), patienceSeconds,
                "The patience is so long for this overload that the queue would hold tens of millions of callers; use Erlang C.");
        }

        // Weight of the states with an idle agent, relative to π_N.
        var belowN = (1.0 / blocking) - 1.0;

        // Incomplete beta I_z(j+1, bb) for the answered caller's wait; t_a the terms subtracted from it.
        var bb = (nmu / theta) + 1.0;
        var t = targetSeconds;
        var z = -QueueingMath.ExpM1(-theta * t);
        var incBeta = t > 0 ? -QueueingMath.ExpM1(-(nmu + theta) * t) : 0.0;
        var termMantissa = 1.0;
        var termLogScale = t > 0 ? Math.Log(bb) + Math.Log(z) - ((nmu + theta) * t) : double.NegativeInfinity;
        var term = 0.0;
        var termPlain = false;

        double r = 1, sum = 0, answered = 0, abandoned = 0, withinTarget = 0, answeredWait = 0, allWait = 0, expectedHold = 0;
        var invExit = 0.0;
        for (var j = 0; ; j++)
        {
            if (j > 0)
            {
                // r_j = r_{j−1} · λ/(Nμ + jθ), and 1/(Nμ + jθ) is the previous step's exit-rate inverse.
                r *= lambda * invExit;
            }

            invExit = 1.0 / (nmu + ((j + 1) * theta));
            var rq = r * nmu * invExit; // weight × P(answered | j ahead)
            expectedHold += invExit;
            sum += r;
            answered += rq;
            abandoned += r * (j + 1) * theta * invExit;
            withinTarget += rq * incBeta;
            answeredWait += rq * expectedHold;
            allWait += r * (j + 1) * invExit;

            if (r > 1e250)
            {
                // Long overloaded queue with patient callers: rescale every weight together.
                const double scale = 1e-250;
                r *= scale;
                sum *= scale;
                answered *= scale;
                abandoned *= scale;
                withinTarget *= scale;
                answeredWait *= scale;
                allWait *= scale;
                belowN *= scale;
            }

            if (lambda <= nmu + ((j + 1) * theta) && r < sum * 1e-17)
            {
                break;
            }

            // Next incomplete beta: I_z(j+2, bb) = I_z(j+1, bb) − t_{j+1}, with t_1 = bb·z·(1−z)^bb and
            // t_{k+1} = t_k · z · (k + bb)/(k + 1); carried as mantissa·e^scale until it is in double range.
            if (t > 0 && incBeta > 0)
            {
                var k = j + 1;
                if (k > 1)
                {
                    var ratio = z * (k - 1 + bb) / k;
                    if (termPlain)
                    {
                        term *= ratio;
                    }
                    else
                    {
                        termMantissa *= ratio;
                    }
                }

                if (!termPlain)
                {
                    var logTerm = termLogScale + Math.Log(termMantissa);
                    if (logTerm > -700)
                    {
                        termPlain = true;
                        term = Math.Exp(logTerm);
                    }
                    else
                    {
                        termLogScale = logTerm;
                        termMantissa = 1.0;
                    }
                }

                incBeta = termPlain ? Math.Max(0.0, incBeta - term) : incBeta;
            }
        }

        var total = belowN + sum;
        var pAbandon = abandoned / total;
        return new QueueMetrics(
            n,
            a,
            targetSeconds,
            ProbabilityOfWaiting: sum / total,
            ServiceLevel: Math.Clamp((belowN + withinTarget) / total, 0.0, 1.0),
            AverageSpeedOfAnswerSeconds: answered + belowN > 0 ? answeredWait / (belowN + answered) : 0,
            AverageWaitSeconds: allWait / total,
            AbandonmentProbability: pAbandon,
            Occupancy: n == 0 ? 0 : a * (1.0 - pAbandon) / n,
            IsStable: true);
    }

    internal static void CheckPatience(double patienceSeconds)
    {
        if (double.IsNaN(patienceSeconds) || patienceSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patienceSeconds), patienceSeconds, "The mean patience must be a number of seconds above 0 (or +∞ for Erlang C).");
        }
    }
}
