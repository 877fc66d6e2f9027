using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// The body of <c>PUT /api/queues/{queueId}/settings</c>. A field left out keeps its current value; <c>reason</c>
/// is required and goes into the audit. An unknown field is refused (400): a misspelt setting would otherwise be
/// saved as "no change", audited, and believed. The GET document's own fields (<c>queueId</c>, <c>source</c>,
/// <c>updatedBy</c>, <c>updatedAt</c>) are accepted and ignored, so a document read, edited and sent back saves.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class QueueSettingsRequest
{
    /// <summary>Read-only fields of the GET document, ignored when sent back.</summary>
    [JsonPropertyName("queueId")]
    public JsonElement? DocumentQueueId { get; init; }

    [JsonPropertyName("source")]
    public JsonElement? DocumentSource { get; init; }

    [JsonPropertyName("updatedBy")]
    public JsonElement? DocumentUpdatedBy { get; init; }

    [JsonPropertyName("updatedAt")]
    public JsonElement? DocumentUpdatedAt { get; init; }

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

    /// <summary>A half-hour this much above the day's worst so far needs one free agent fewer before a pitch (share; 1 = off).</summary>
    public double? OfferHoldEaseAboveWorst { get; init; }

    /// <summary>The day's room: the capacity's goal never below the day's worst half-hour so far plus this (share; 1 = off).</summary>
    public double? DayRoomAboveWorst { get; init; }

    public int? OfferHoldGuardMinCalls { get; init; }

    public string? Reason { get; init; }
}

/// <summary>A cross-sell window as sent: weekday names and <c>HH:mm</c> times (UTC; <c>24:00</c> means midnight).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CrossSellWindowRequest
{
    public List<string?>? Days { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }
}
