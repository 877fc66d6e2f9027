namespace CallBalancer.Core.Balancing;

/// <summary>
/// TEMPORARY stand-in for the Queueing engine (issue 3) until it is merged: Erlang B, the Erlang C service level
/// and the Erlang A (M/M/N+M) service level among all callers. To be deleted once <c>Queueing/</c> lands.
/// </summary>
internal static class TemporaryErlang
{
    /// <summary>Erlang B blocking probability by the stable recursion B(n) = aB(n-1) / (n + aB(n-1)).</summary>
    public static double ErlangB(int servers, double load)
    {
        var b = 1.0;
        for (var n = 1; n <= servers; n++)
        {
            b = load * b / (n + load * b);
        }

        return b;
    }

    /// <summary>Erlang C P(wait &lt;= T) among all callers (M/M/N, no abandonment); 0 when unstable.</summary>
    public static double ErlangCServiceLevel(double lambdaPerSecond, double ahtSeconds, int agents, double targetSeconds)
    {
        var a = lambdaPerSecond * ahtSeconds;
        if (agents <= a)
        {
            return 0;
        }

        var b = ErlangB(agents, a);
        var c = agents * b / (agents - a * (1 - b));
        return 1 - c * Math.Exp(-(agents - a) / ahtSeconds * targetSeconds);
    }

    /// <summary>
    /// Erlang A (M/M/N+M) share of all callers answered within T, from the virtual-wait density of M/M/N+G
    /// (Baccelli &amp; Hebuterne 1981; Zeltyn &amp; Mandelbaum 2005): f_V(x) ∝ λB(N-1,a)·exp(λH(x) - Nμx),
    /// H(x) = (1 - e^{-θx})/θ, and SL = P(V = 0) + ∫_0^T e^{-θx} f_V(x) dx.
    /// </summary>
    public static double ErlangAServiceLevel(
        double lambdaPerSecond, double ahtSeconds, double patienceSeconds, int agents, double targetSeconds)
    {
        if (lambdaPerSecond <= 0)
        {
            return 1;
        }

        if (agents <= 0)
        {
            return 0;
        }

        var mu = 1 / ahtSeconds;
        var theta = 1 / patienceSeconds;
        var a = lambdaPerSecond * ahtSeconds;
        var r = lambdaPerSecond * ErlangB(agents - 1, a);
        var nmu = agents * mu;
        double G(double x) => lambdaPerSecond * (1 - Math.Exp(-theta * x)) / theta - nmu * x;

        // The exponent is concave; its peak is at x* where λe^{-θx} = Nμ.
        var xStar = lambdaPerSecond > nmu ? Math.Log(lambdaPerSecond / nmu) / theta : 0;
        var gMax = G(xStar);
        var upper = Math.Max(xStar, 1.0 / nmu);
        while (G(upper) > gMax - 40)
        {
            upper = upper * 2 + 1;
        }

        var total = Simpson(G, 0, upper, gMax, 0, 512);
        var within = Simpson(G, 0, Math.Min(targetSeconds, upper), gMax, theta, 128);

        // SL = (1 + r·within) / (1 + r·total), with both integrals scaled by e^{gMax}.
        var logR = Math.Log(r) + gMax;
        if (logR > 700)
        {
            return within / total;
        }

        var scale = Math.Exp(logR);
        return (1 + scale * within) / (1 + scale * total);
    }

    private static double Simpson(Func<double, double> g, double from, double to, double shift, double theta, int steps)
    {
        if (to <= from)
        {
            return 0;
        }

        var h = (to - from) / steps;
        var sum = 0.0;
        for (var i = 0; i <= steps; i++)
        {
            var x = from + i * h;
            var w = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * Math.Exp(g(x) - shift - theta * x);
        }

        return sum * h / 3;
    }

    /// <summary>The least number of agents whose Erlang C service level meets the target.</summary>
    public static int ErlangCStaffing(double lambdaPerSecond, double ahtSeconds, double targetLevel, double targetSeconds)
    {
        if (lambdaPerSecond <= 0)
        {
            return 0;
        }

        var n = Math.Max(1, (int)Math.Floor(lambdaPerSecond * ahtSeconds));
        while (ErlangCServiceLevel(lambdaPerSecond, ahtSeconds, n, targetSeconds) < targetLevel)
        {
            n++;
        }

        return n;
    }
}
