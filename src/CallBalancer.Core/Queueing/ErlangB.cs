namespace CallBalancer.Core.Queueing;

/// <summary>
/// Erlang B (M/M/N/N, the Erlang loss formula): the probability that a call finds all N agents busy when
/// there is no queue, <c>B(N, A) = (A^N / N!) / Σ_{k=0..N} A^k / k!</c>. It is the building block of
/// Erlang C and Erlang A, and is computed here without factorials or powers, so it is exact to rounding
/// for any N (tested to 10,000 agents).
/// </summary>
/// <remarks>
/// The classic stable recursion is <c>B(0) = 1</c>, <c>B(n) = A·B(n−1) / (n + A·B(n−1))</c>
/// (e.g. Jagerman 1974; Cooper, <i>Introduction to Queueing Theory</i>, 1981), which damps rounding errors
/// as n grows but costs N steps. To keep large N cheap the recursion starts at <c>m = min(N, ⌊A⌋)</c>, where
/// <c>1/B(m) = Σ_{j=0..m} Π_{i&lt;j} (m−i)/A</c> has terms that fall like <c>exp(−j²/2A)</c>, so about
/// <c>9√A</c> terms reach double precision; the recursion then climbs the remaining <c>N − m</c> steps
/// (about β√A for realistic staffing). Cost: O(√A + (N − A)⁺) instead of O(N).
/// </remarks>
public static class ErlangB
{
    /// <summary>Below this starting point the plain recursion from 0 is as cheap as the series.</summary>
    private const int SeriesThreshold = 32;

    /// <summary>The probability that an arriving call is blocked with N agents and no waiting room.</summary>
    /// <param name="agents">N, agents (≥ 0).</param>
    /// <param name="offeredLoadErlangs">A = λ · AHT (Erlangs, ≥ 0, finite).</param>
    /// <returns>B(N, A) in [0, 1]; 1 when N = 0, 0 when A = 0 and N &gt; 0. Values below ~1e-308 return 0.</returns>
    public static double Blocking(int agents, double offeredLoadErlangs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        if (!double.IsFinite(offeredLoadErlangs) || offeredLoadErlangs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offeredLoadErlangs), offeredLoadErlangs, "The offered load must be a finite number of Erlangs, at least 0.");
        }

        if (agents == 0)
        {
            return 1.0;
        }

        if (offeredLoadErlangs == 0)
        {
            return 0.0;
        }

        var a = offeredLoadErlangs;
        var start = (int)Math.Min(agents, Math.Floor(a));
        double b;
        if (start < SeriesThreshold)
        {
            start = 0;
            b = 1.0;
        }
        else
        {
            b = 1.0 / InverseBlockingSeries(start, a);
        }

        return Climb(b, start, agents, a);
    }

    /// <summary>B(to) from B(from) by the forward recursion; stops early once B has underflowed.</summary>
    internal static double Climb(double b, int from, int to, double a)
    {
        for (var n = from + 1; n <= to; n++)
        {
            var ab = a * b;
            b = ab / (n + ab);
            if (b < 1e-300)
            {
                // The true value keeps shrinking (by A/n per step); below the double range it is 0.
                return 0.0;
            }
        }

        return b;
    }

    /// <summary>B(n−1) from B(n): the recursion run backwards, <c>B(n−1) = n·B(n) / (A·(1 − B(n)))</c>. Used for a few steps only.</summary>
    internal static double StepDown(double b, int n, double a) => n * b / (a * (1.0 - b));

    /// <summary>
    /// <c>1/B(m, A) = Σ_{j=0..m} m!/((m−j)!·A^j)</c> for m ≤ A: every ratio (m−i)/A is at most 1, so the terms fall
    /// monotonically and the sum stops once a term no longer changes it.
    /// </summary>
    internal static double InverseBlockingSeries(int m, double a)
    {
        var sum = 1.0;
        var term = 1.0;
        for (var j = 0; j < m; j++)
        {
            term *= (m - j) / a;
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
