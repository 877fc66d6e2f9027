namespace CallBalancer.Core.Queueing;

/// <summary>
/// What a staffing level must achieve: a service level (share of offered calls answered within
/// <see cref="TargetSeconds"/>), and optionally a ceiling on abandonment and on occupancy.
/// The common contact-centre target is 80% within 20 seconds (<see cref="EightyTwenty"/>).
/// </summary>
/// <param name="ServiceLevel">Least share of offered calls answered within <paramref name="TargetSeconds"/> (0 to 1, below 1).</param>
/// <param name="TargetSeconds">T of the service level (seconds, ≥ 0).</param>
public sealed record StaffingTarget(double ServiceLevel, double TargetSeconds)
{
    /// <summary>80% of calls answered within 20 seconds.</summary>
    public static StaffingTarget EightyTwenty { get; } = new(0.8, 20);

    /// <summary>Optional ceiling on P(Ab), the share of offered calls that abandon (0 to 1); needs a patience (Erlang A). Default none.</summary>
    public double? MaxAbandonment { get; init; }

    /// <summary>Optional ceiling on occupancy, the share of agent time spent on calls (0 to 1). Default none.</summary>
    public double? MaxOccupancy { get; init; }

    internal void Validate()
    {
        if (!(ServiceLevel >= 0 && ServiceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ServiceLevel), ServiceLevel, "The service-level target must be at least 0 and below 1.");
        }

        ErlangC.CheckTarget(TargetSeconds);
        if (MaxAbandonment is { } ab && !(ab > 0 && ab <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAbandonment), ab, "The abandonment ceiling must be above 0 and at most 1.");
        }

        if (MaxOccupancy is { } occ && !(occ > 0 && occ <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOccupancy), occ, "The occupancy ceiling must be above 0 and at most 1.");
        }
    }

    /// <summary>Whether predicted metrics meet every part of the target.</summary>
    /// <param name="metrics">An Erlang C or Erlang A prediction.</param>
    public bool IsMetBy(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.IsStable
            && metrics.ServiceLevel >= ServiceLevel
            && (MaxAbandonment is not { } ab || metrics.AbandonmentProbability <= ab)
            && (MaxOccupancy is not { } occ || metrics.Occupancy <= occ);
    }
}
