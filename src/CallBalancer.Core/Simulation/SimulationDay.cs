namespace CallBalancer.Core.Simulation;

/// <summary>
/// One day to simulate: its true arrivals (per-interval counts, optionally per-call times), the staffing plan,
/// the service-time distribution and the forecaster the live system would have.
/// </summary>
public sealed record SimulationDay
{
    /// <summary>The date (local).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The data interval length (seconds), e.g. 300.</summary>
    public required int IntervalSeconds { get; init; }

    /// <summary>Each interval's start (seconds since midnight), ascending.</summary>
    public required IReadOnlyList<int> IntervalOffsets { get; init; }

    /// <summary>The true number of calls arriving in each interval (calls per interval).</summary>
    public required IReadOnlyList<int> Counts { get; init; }

    /// <summary>
    /// Per-call arrival times (seconds since midnight, ascending) when replaying a per-call file; null to spread
    /// each interval's count uniformly over the interval.
    /// </summary>
    public IReadOnlyList<double>? ArrivalTimes { get; init; }

    /// <summary>Agents per half-hour.</summary>
    public required StaffingPlan Staffing { get; init; }

    /// <summary>Service times of calls without an offer.</summary>
    public required IServiceTimeDistribution ServiceTimes { get; init; }

    /// <summary>
    /// Creates a fresh forecaster for the day (the simulator feeds it the observed counts as the day goes on); null
    /// when the day has no history (a forecast policy then falls back to its real-time rule).
    /// </summary>
    public Func<IIntradayForecaster>? Forecaster { get; init; }

    /// <summary>The end of the last interval (seconds since midnight).</summary>
    public double EndSeconds => IntervalOffsets.Count == 0 ? 0 : IntervalOffsets[^1] + IntervalSeconds;
}
