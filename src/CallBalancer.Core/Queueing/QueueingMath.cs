namespace CallBalancer.Core.Queueing;

/// <summary>Small numerical helpers the queueing models share.</summary>
internal static class QueueingMath
{
    /// <summary>
    /// <c>e^x − 1</c> without the cancellation of the naive form for small x (.NET's <c>double.ExpM1</c> is
    /// <c>Exp(x) − 1</c>). Kahan's trick: <c>(u − 1)·x / ln u</c> with <c>u = e^x</c> (Higham, <i>Accuracy and
    /// Stability of Numerical Algorithms</i>, 2002, §1.14.1).
    /// </summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        if (um1 == -1.0 || double.IsPositiveInfinity(u) || Math.Abs(x) > 0.5)
        {
            return um1;
        }

        return um1 * x / Math.Log(u);
    }
}
