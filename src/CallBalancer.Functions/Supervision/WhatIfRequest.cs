namespace CallBalancer.Functions.Supervision;

/// <summary>The body of <c>POST /api/queues/{queueId}/what-if</c>: a past day and the proposed settings (as PUT takes them; left-out fields keep the saved values).</summary>
internal sealed class WhatIfRequest
{
    public string? Day { get; init; }

    public QueueSettingsRequest? Settings { get; init; }
}
