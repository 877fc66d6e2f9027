namespace CallBalancer.Core.Queueing;

/// <summary>
/// One queue as the blending models see it: inbound traffic whose calls may be lengthened by a cross-sell pitch,
/// a staffing level and a service-level target. Used by <see cref="CrossSellCapacity"/> (how many agents may
/// cross-sell) and <see cref="CrossSellThresholdPolicy"/> (the exact value of a "pitch only while few callers are
/// in the system" rule).
/// </summary>
public sealed record CrossSellScenario
{
    /// <summary>Creates a scenario; every argument is validated.</summary>
    /// <param name="load">Arrival rate (calls per second) and the service-only AHT (seconds).</param>
    /// <param name="pitchSeconds">Mean time a cross-sell offer adds to a call (seconds, ≥ 0).</param>
    /// <param name="eligibleShare">Share of calls that may carry an offer (0 to 1): complaints, for example, never do.</param>
    /// <param name="agents">N, agents taking calls (≥ 1).</param>
    /// <param name="target">The service level to protect (and optionally an abandonment or occupancy ceiling).</param>
    /// <param name="patienceSeconds">Mean patience of waiting callers (seconds, &gt; 0) for Erlang A; null for Erlang C (callers never hang up).</param>
    public CrossSellScenario(QueueLoad load, double pitchSeconds, double eligibleShare, int agents, StaffingTarget target, double? patienceSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        if (!double.IsFinite(pitchSeconds) || pitchSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pitchSeconds), pitchSeconds, "The pitch time must be a finite number of seconds, at least 0.");
        }

        if (!(eligibleShare >= 0 && eligibleShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(eligibleShare), eligibleShare, "The eligible share must be between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(agents);
        if (patienceSeconds is { } p)
        {
            ErlangA.CheckPatience(p);
        }

        Load = load;
        PitchSeconds = pitchSeconds;
        EligibleShare = eligibleShare;
        Agents = agents;
        Target = target;
        PatienceSeconds = patienceSeconds is { } q && double.IsPositiveInfinity(q) ? null : patienceSeconds;
    }

    /// <summary>Arrival rate (calls per second) and the service-only mean handle time (seconds).</summary>
    public QueueLoad Load { get; }

    /// <summary>Mean time a cross-sell offer adds to a call (seconds).</summary>
    public double PitchSeconds { get; }

    /// <summary>Share of calls that may carry an offer (0 to 1).</summary>
    public double EligibleShare { get; }

    /// <summary>N, agents taking calls.</summary>
    public int Agents { get; }

    /// <summary>The service level to protect.</summary>
    public StaffingTarget Target { get; }

    /// <summary>Mean patience of waiting callers (seconds) for Erlang A, or null for Erlang C.</summary>
    public double? PatienceSeconds { get; }

    /// <summary>Erlang C or Erlang A (with <see cref="PatienceSeconds"/>) for these agents and a given mean handle time (seconds).</summary>
    internal QueueMetrics Predict(double averageHandleSeconds) =>
        PatienceSeconds is { } p
            ? ErlangA.Evaluate(Load.WithAverageHandleSeconds(averageHandleSeconds), Agents, Target.TargetSeconds, p)
            : ErlangC.Evaluate(Load.WithAverageHandleSeconds(averageHandleSeconds), Agents, Target.TargetSeconds);
}
