using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Supervision;

/// <summary>The body of <c>POST /api/queues/{queueId}/what-if</c>: a past day and the proposed settings (as PUT takes them; left-out fields keep the saved values).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class WhatIfRequest
{
    public string? Day { get; init; }

    public QueueSettingsRequest? Settings { get; init; }

    /// <summary>
    /// Whose traffic: <c>queue</c> (the queue's own recorded telephony intervals), <c>sample</c> (the reference files), or
    /// absent: the queue's own when it has calls recorded on that day, else the sample.
    /// </summary>
    public string? Source { get; init; }
}
