namespace CallBalancer.Core.Simulation;

/// <summary>The model parameters of one simulated day (defaults from issue 4).</summary>
public sealed record SimulationOptions
{
    /// <summary>Seed of the random streams; the same seed gives the same day. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Service-level target: share of offered calls answered within <see cref="TargetSeconds"/>. Default 0.8.</summary>
    public double TargetServiceLevel { get; init; } = 0.8;

    /// <summary>The service level's answer time (seconds). Default 20.</summary>
    public double TargetSeconds { get; init; } = 20;

    /// <summary>Mean of the callers' exponential patience (seconds). Default 180.</summary>
    public double PatienceMeanSeconds { get; init; } = 180;

    /// <summary>Probability that a call answered in cross-sell mode is eligible for an offer. Default 0.8.</summary>
    public double EligibleShare { get; init; } = 0.8;

    /// <summary>Probability that an offer is accepted. Default 0.15.</summary>
    public double AcceptanceProbability { get; init; } = 0.15;

    /// <summary>Mean of the exponential pitch time an offer adds to the call (seconds). Default 60.</summary>
    public double PitchMeanSeconds { get; init; } = 60;

    /// <summary>The policy's timer cadence (seconds). Default 15.</summary>
    public double PolicyIntervalSeconds { get; init; } = 15;

    /// <summary>How old the snapshot the policy sees is when it decides (seconds). Default 5.</summary>
    public double SnapshotLagSeconds { get; init; } = 5;

    /// <summary>How many coming forecast intervals the policy is shown (intervals). Default 400: the rest of the day.</summary>
    public int ForecastHorizonIntervals { get; init; } = 400;

    /// <summary>
    /// Half-hours with fewer offered calls than this are left out of the worst half-hour (a night half-hour with
    /// one abandoned call says nothing about the policy). Default 20.
    /// </summary>
    public int WorstHalfHourMinCalls { get; init; } = 20;

    /// <summary>
    /// The policy's own settings (margins, dwell, emergency limits); the model's parameters (target, patience,
    /// pitch, eligible share, AHT) are filled in from these options. Null for the defaults.
    /// </summary>
    public Balancing.QueueSettings? PolicySettings { get; init; }

    /// <summary>
    /// The emergency queue length given to the policy as a share of the plan's peak agents (at least the settings'
    /// own length, 10 by default). Default 0.2: the queue the peak staff clears in about 35 s at the 1999 bank's handle
    /// time, between the 20 s answer target and the 60 s emergency wait (0.1, about 18 s of work, made an ordinary peak
    /// queue an emergency and flipped every cross-seller out and back several times an hour on the busiest days).
    /// </summary>
    public double EmergencyQueueShare { get; init; } = 0.2;

    /// <summary>
    /// When true (the default) a cross-seller's desktop asks for offers when the caller's request is resolved, right
    /// before the pitch (the product's integration contract, docs/offers.md), so the offer hold judges the queue at that
    /// moment; when false, at the call's answer, a whole handle time before the pitch.
    /// </summary>
    public bool OfferAtResolution { get; init; } = true;

    /// <summary>When true (the default) the day ends when the last call has left; when false, at the last interval's end.</summary>
    public bool Drain { get; init; } = true;

    /// <summary>
    /// The sensitivity probe: when set, the first call answered at or after this time of the day (seconds after
    /// midnight) takes <see cref="ProbeSeconds"/> longer, whatever the policy, and no offer is counted: one pitch's worth
    /// of work, to measure how far a single perturbation moves a day's results (the policy benchmark runs service-only
    /// with it). Null (the default): no probe.
    /// </summary>
    public double? ProbeAtSeconds { get; init; }

    /// <summary>The time the probe adds to its one call (seconds). Default 60, the mean pitch.</summary>
    public double ProbeSeconds { get; init; } = 60;
}
