namespace CallBalancer.Core.Queueing;

/// <summary>
/// Staffing: the least number of agents N whose Erlang C (or, given a patience, Erlang A) prediction meets a
/// <see cref="StaffingTarget"/>. Every metric used is monotone in N (service level up, abandonment and
/// occupancy down), so the least N is the first one that passes.
/// </summary>
/// <remarks>
/// The search starts from the square-root staffing rule <c>N ≈ A + β√A</c> (Halfin &amp; Whitt 1981; Borst,
/// Mandelbaum &amp; Reiman 2004), whose β for realistic targets lies in about [−2, 3]. Erlang C needs N &gt; A, so it
/// starts at <c>⌊A⌋ + 1</c> (β = 0) and climbs with the O(1) Erlang B recursion, evaluating each N in O(1):
/// about β√A steps (≈ 50 at 2,000 Erlangs) after one O(√A) Erlang B evaluation. Erlang A may meet a target below A,
/// so it brackets the answer by doubling steps from <c>A</c> and bisects, each probe one Erlang A evaluation.
/// </remarks>
public static class Staffing
{
    /// <summary>The most agents the search will consider before declaring the target unreachable.</summary>
    public const int MaxAgents = 1_000_000;

    /// <summary>The least N meeting the target under Erlang C (infinite patience).</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="target">Service level, answer time and optional occupancy ceiling (an abandonment ceiling is trivially met: nobody abandons).</param>
    /// <exception cref="ArgumentOutOfRangeException">An invalid target.</exception>
    public static StaffingResult ErlangC(QueueLoad load, StaffingTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        var a = load.OfferedLoadErlangs;
        if (a == 0)
        {
            var zero = Queueing.ErlangC.Evaluate(load, 0, target.TargetSeconds);
            return new StaffingResult(0, zero);
        }

        var n = (int)Math.Floor(a) + 1;
        var b = ErlangB.Blocking(n, a);
        while (true)
        {
            var metrics = Queueing.ErlangC.Metrics(load, n, target.TargetSeconds, b);
            if (target.IsMetBy(metrics))
            {
                return new StaffingResult(n, metrics);
            }

            if (n >= MaxAgents)
            {
                throw new InvalidOperationException($"No staffing up to {MaxAgents} agents meets the target.");
            }

            n++;
            b = ErlangB.Climb(b, n - 1, n, a);
        }
    }

    /// <summary>The least N meeting the target under Erlang A (callers abandon after an exponential patience).</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="target">Service level, answer time, and optional abandonment and occupancy ceilings.</param>
    /// <param name="patienceSeconds">Mean patience of a waiting caller (seconds, &gt; 0); +∞ gives <see cref="ErlangC(QueueLoad, StaffingTarget)"/>.</param>
    public static StaffingResult ErlangA(QueueLoad load, StaffingTarget target, double patienceSeconds)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        Queueing.ErlangA.CheckPatience(patienceSeconds);
        if (double.IsPositiveInfinity(patienceSeconds))
        {
            return ErlangC(load, target);
        }

        var a = load.OfferedLoadErlangs;
        bool Meets(int agents, out QueueMetrics m)
        {
            m = Queueing.ErlangA.Evaluate(load, agents, target.TargetSeconds, patienceSeconds);
            return target.IsMetBy(m);
        }

        // Bracket [lo, hi] with lo failing (or -1) and hi meeting, by steps that double from the load.
        var start = (int)Math.Min(MaxAgents, Math.Ceiling(a));
        int lo, hi;
        QueueMetrics best;
        if (Meets(start, out var startMetrics))
        {
            hi = start;
            best = startMetrics;
            lo = -1;
            for (var step = Math.Max(1, (int)Math.Sqrt(a)); hi > 0; step *= 2)
            {
                var probe = Math.Max(0, hi - step);
                if (Meets(probe, out var m))
                {
                    hi = probe;
                    best = m;
                }
                else
                {
                    lo = probe;
                    break;
                }
            }
        }
        else
        {
            lo = start;
            hi = -1;
            best = startMetrics;
            for (var step = Math.Max(1, (int)Math.Sqrt(a)); ; step *= 2)
            {
                if (lo >= MaxAgents)
                {
                    throw new InvalidOperationException($"No staffing up to {MaxAgents} agents meets the target.");
                }

                var probe = (int)Math.Min(MaxAgents, (long)lo + step);
                if (Meets(probe, out var m))
                {
                    hi = probe;
                    best = m;
                    break;
                }

                lo = probe;
            }
        }

        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Meets(mid, out var m))
            {
                hi = mid;
                best = m;
            }
            else
            {
                lo = mid;
            }
        }

        return new StaffingResult(hi, best);
    }

    /// <summary>Erlang C when <paramref name="patienceSeconds"/> is null, Erlang A otherwise.</summary>
    /// <param name="load">Arrival rate and AHT.</param>
    /// <param name="target">The target.</param>
    /// <param name="patienceSeconds">Mean patience (seconds), or null for callers who never hang up.</param>
    public static StaffingResult Required(QueueLoad load, StaffingTarget target, double? patienceSeconds = null) =>
        patienceSeconds is { } p ? ErlangA(load, target, p) : ErlangC(load, target);
}
