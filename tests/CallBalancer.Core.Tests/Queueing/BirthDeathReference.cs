namespace CallBalancer.Core.Tests.Queueing;

/// <summary>
/// A deliberately plain, independent M/M/n+M computation for the property tests: the stationary law of the
/// number in system from log-space detailed balance over an explicitly truncated state space, abandonment
/// from the rate balance <c>λ·P(Ab) = θ·E[queue]</c>, and the service level from the tagged caller's
/// absorbing chain solved by uniformization (not the incomplete-beta identity the production code uses).
/// θ = 0 gives M/M/n (Erlang C), which needs λ &lt; nμ.
/// </summary>
internal static class BirthDeathReference
{
    public static (double ProbWait, double ProbAbandon, double ServiceLevel, double MeanQueue) Solve(
        double lambda, double ahtSeconds, int n, double patienceSeconds, double targetSeconds)
    {
        var mu = 1.0 / ahtSeconds;
        var theta = double.IsPositiveInfinity(patienceSeconds) ? 0.0 : 1.0 / patienceSeconds;
        var logW = new List<double> { 0.0 };
        for (var k = 1; ; k++)
        {
            var down = (Math.Min(k, n) * mu) + (Math.Max(k - n, 0) * theta);
            logW.Add(logW[k - 1] + Math.Log(lambda) - Math.Log(down));
            if (k > n && down > lambda && logW[k] < logW.Max() - 60)
            {
                break;
            }

            if (k > 2_000_000)
            {
                throw new InvalidOperationException("state space too large for the reference");
            }
        }

        var max = logW.Max();
        var w = logW.Select(l => Math.Exp(l - max)).ToArray();
        var total = w.Sum();
        var pi = w.Select(x => x / total).ToArray();

        double probWait = 0, meanQueue = 0;
        for (var k = n; k < pi.Length; k++)
        {
            probWait += pi[k];
            meanQueue += (k - n) * pi[k];
        }

        var probAbandon = theta * meanQueue / lambda;

        // Tagged caller with j ahead: moves on at rate nμ + jθ (served at j = 0), hangs up at rate θ.
        var maxAhead = pi.Length - n;
        var served = ServedWithin(n * mu, theta, Math.Max(0, maxAhead), targetSeconds);
        var sl = 0.0;
        for (var k = 0; k < pi.Length; k++)
        {
            sl += k < n ? pi[k] : pi[k] * served[k - n];
        }

        return (probWait, probAbandon, sl, meanQueue);
    }

    /// <summary>P(answered within t | j ahead) for j = 0..maxAhead, by uniformization of the tagged caller's chain.</summary>
    private static double[] ServedWithin(double nmu, double theta, int maxAhead, double t)
    {
        var size = maxAhead + 1;
        if (nmu == 0)
        {
            return new double[size];
        }

        var rate = nmu + ((maxAhead + 1) * theta);
        var lt = rate * t;

        // v_m[j] = P(served within m jumps of the uniformized chain | j ahead).
        var v = new double[size];
        var next = new double[size];
        var result = new double[size];
        var logPoisson = -lt; // log P(M = 0)
        for (var m = 1; m < 100_000; m++)
        {
            for (var j = 0; j < size; j++)
            {
                var move = (nmu + (j * theta)) / rate;
                var stay = 1.0 - move - (theta / rate);
                var moved = j == 0 ? 1.0 : v[j - 1];
                next[j] = (move * moved) + (stay * v[j]);
            }

            (v, next) = (next, v);
            logPoisson += Math.Log(lt) - Math.Log(m);
            var p = Math.Exp(logPoisson);

            // P(served by time t) = Σ_m P(M_t = m) v_m, M_t ~ Poisson(rate·t).
            for (var j = 0; j < size; j++)
            {
                result[j] += p * v[j];
            }

            if (m > lt && p < 1e-17)
            {
                break;
            }
        }

        return result;
    }
}
