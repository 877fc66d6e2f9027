namespace CallBalancer.Functions.Supervision;

/// <summary>
/// The body of <c>PUT /api/queues/{queueId}/settings</c>. A field left out keeps its current value; <c>reason</c>
/// is required and goes into the audit.
/// </summary>
internal sealed class QueueSettingsRequest
{
    public double? ServiceLevelTarget { get; init; }

    public double? TargetSeconds { get; init; }

    public double? MaxAbandonRate { get; init; }

    public double? EmergencyWaitSeconds { get; init; }

    public int? EmergencyQueueLength { get; init; }

    public double? CrossSellOnMargin { get; init; }

    public double? CrossSellOffMargin { get; init; }

    public double? MinDwellSeconds { get; init; }

    public List<CrossSellWindowRequest?>? CrossSellWindows { get; init; }

    public double? EligibleShare { get; init; }

    public double? PitchSeconds { get; init; }

    public int? ForecastIntervalMinutes { get; init; }

    public int? IdleReserve { get; init; }

    public double? MaxServiceLevelDrop { get; init; }

    public double? MaxIntervalDrop { get; init; }

    public double? ForecastUpperWeight { get; init; }

    public bool? OfferHold { get; init; }

    public int? OfferHoldMaxWaiting { get; init; }

    public int? OfferHoldMinIdleAgents { get; init; }

    public int? OfferHoldQuietMinIdleAgents { get; init; }

    public int? OfferHoldQuietMinAgents { get; init; }

    public double? OfferHoldGuardMargin { get; init; }

    public int? OfferHoldGuardMinCalls { get; init; }

    public string? Reason { get; init; }
}

/// <summary>A cross-sell window as sent: weekday names and <c>HH:mm</c> times (UTC; <c>24:00</c> means midnight).</summary>
internal sealed class CrossSellWindowRequest
{
    public List<string?>? Days { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }
}
