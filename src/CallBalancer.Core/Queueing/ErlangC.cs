namespace CallBalancer.Core.Queueing;

/// <summary>
/// Erlang C (M/M/N, infinite patience, first come first served): Poisson arrivals at rate λ, exponential
/// handle times with mean AHT, N agents, offered load <c>A = λ·AHT</c>. All formulas follow e.g.
/// Gans, Koole &amp; Mandelbaum, "Telephone call centers: tutorial, review and research prospects" (2003), §4.1:
/// <list type="bullet">
/// <item><c>C(N, A) = P(W &gt; 0) = N·B / (N − A·(1 − B))</c> with B = Erlang B (<see cref="ErlangB"/>), for N &gt; A;</item>
/// <item><c>P(W ≤ T) = 1 − C·exp(−(N − A)·T / AHT)</c> (the service level);</item>
/// <item><c>ASA = E[W] = C·AHT / (N − A)</c>;</item>
/// <item>occupancy <c>= A / N</c>.</item>
/// </list>
/// With N ≤ A the queue has no steady state: every call waits (C = 1), the service level is 0, ASA is +∞
/// and occupancy is 1; <see cref="QueueMetrics.IsStable"/> is false.
/// </summary>
public static class ErlangC
{
    /// <summary>C(N, A): the probability that an offered call has to wait (1 when N ≤ A).</summary>
    /// <param name="agents">N, agents (≥ 0).</param>
    /// <param name="offeredLoadErlangs">A = λ · AHT (Erlangs).</param>
    public static double ProbabilityOfWaiting(int agents, double offeredLoadErlangs)
    {
        if (agents <= offeredLoadErlangs)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(agents);
            return 1.0;
        }

        return FromBlocking(ErlangB.Blocking(agents, offeredLoadErlangs), agents, offeredLoadErlangs);
    }

    /// <summary>The service level P(W ≤ T): share of offered calls answered within <paramref name="targetSeconds"/>.</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="agents">N, agents.</param>
    /// <param name="targetSeconds">T (seconds, ≥ 0).</param>
    public static double ServiceLevel(QueueLoad load, int agents, double targetSeconds) =>
        Evaluate(load, agents, targetSeconds).ServiceLevel;

    /// <summary>ASA, the mean wait of an offered call (seconds); +∞ when N ≤ A.</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="agents">N, agents.</param>
    public static double AverageSpeedOfAnswer(QueueLoad load, int agents) =>
        Evaluate(load, agents, 0).AverageSpeedOfAnswerSeconds;

    /// <summary>Occupancy A / N, capped at 1 (the agents cannot be busier than always).</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="agents">N, agents (&gt; 0).</param>
    public static double Occupancy(QueueLoad load, int agents)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(agents);
        return Math.Min(1.0, load.OfferedLoadErlangs / agents);
    }

    /// <summary>Every Erlang C figure for one queue and one staffing level.</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="agents">N, agents (≥ 0).</param>
    /// <param name="targetSeconds">T of the service level (seconds, ≥ 0).</param>
    public static QueueMetrics Evaluate(QueueLoad load, int agents, double targetSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        CheckTarget(targetSeconds);
        var a = load.OfferedLoadErlangs;
        var b = agents > a ? ErlangB.Blocking(agents, a) : 1.0;
        return Metrics(load, agents, targetSeconds, b);
    }

    /// <summary>The metrics from an Erlang B value already known for (N, A); used by the incremental staffing search.</summary>
    internal static QueueMetrics Metrics(QueueLoad load, int agents, double targetSeconds, double blocking)
    {
        var a = load.OfferedLoadErlangs;
        if (a == 0)
        {
            return new QueueMetrics(agents, 0, targetSeconds, 0, 1, 0, 0, 0, 0, true);
        }

        if (agents <= a)
        {
            return new QueueMetrics(agents, a, targetSeconds, 1, 0, double.PositiveInfinity, double.PositiveInfinity, 0, 1, false);
        }

        var c = FromBlocking(blocking, agents, a);
        var sl = ServiceLevelFrom(c, agents, a, load.AverageHandleSeconds, targetSeconds);
        var asa = c * load.AverageHandleSeconds / (agents - a);
        return new QueueMetrics(agents, a, targetSeconds, c, sl, asa, asa, 0, a / agents, true);
    }

    /// <summary>C from B: <c>C = N·B / (N − A(1 − B))</c> (N &gt; A).</summary>
    internal static double FromBlocking(double blocking, int agents, double a) =>
        agents * blocking / (agents - a * (1.0 - blocking));

    /// <summary><c>1 − C·exp(−(N − A)·T / AHT)</c>, the waiting time of M/M/N being exponential given a wait.</summary>
    internal static double ServiceLevelFrom(double c, int agents, double a, double ahtSeconds, double targetSeconds) =>
        Math.Clamp(1.0 - c * Math.Exp(-(agents - a) * targetSeconds / ahtSeconds), 0.0, 1.0);

    internal static void CheckTarget(double targetSeconds)
    {
        if (!double.IsFinite(targetSeconds) || targetSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetSeconds), targetSeconds, "The service-level answer time must be a finite number of seconds, at least 0.");
        }
    }
}
