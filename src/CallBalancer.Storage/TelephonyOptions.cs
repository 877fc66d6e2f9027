using System.ComponentModel.DataAnnotations;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>How telephony events are aggregated and stored. Bound from <c>CallBalancer:Telephony</c> (<c>CallBalancer__Telephony__X</c>).</summary>
public sealed class TelephonyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Telephony";

    /// <summary>Interval length in minutes, 1 to 1,440, dividing a day evenly. Default 15 (the forecaster's period).</summary>
    [Range(1, 1440)]
    public int IntervalMinutes { get; set; } = 15;

    /// <summary>
    /// The answer-time target in seconds for <c>answeredWithinTarget</c>, 1 to 600. Default 20 (as in "80% within 20 s").
    /// </summary>
    [Range(1, 600)]
    public double AnswerTargetSeconds { get; set; } = 20;

    /// <summary>
    /// Partitions per queue-day of interval records, and for call records, 1 to 32. Default 1. The Table service
    /// serves about 2,000 entities/s per partition; one queue-day partition takes one entity per event, and even a
    /// very busy queue (10,000 calls an hour, about 4 events a call) writes about 11 entities/s, so one shard leaves
    /// two orders of magnitude of headroom and keeps a batch of consecutive events to one transaction per queue.
    /// Raise it for a platform that sends thousands of events per second to one queue (or all queues' calls to the one
    /// call partition): each extra shard spreads the load and costs up to one more transaction per batch. Change it
    /// only between days: an event's dedupe row is found through its shard.
    /// </summary>
    [Range(1, 32)]
    public int ShardCount { get; set; } = 1;

    /// <summary>
    /// Hours after which an agent's latest <c>agent.state</c> in a queue no longer counts, 1 to 168. Default 12. A
    /// snapshot built from events (a platform that sends counts, not agent lists: Genesys) leaves such an agent out, so
    /// an agent nobody logged out (a lost event, a desktop closed) stops counting as available or staffed after a shift
    /// rather than for ever. Left out is the cautious side: fewer idle agents, fewer cross-sellers.
    /// </summary>
    [Range(1, 168)]
    public double PresenceMaxAgeHours { get; set; } = 12;

    /// <summary>The aggregation these options describe.</summary>
    public IntervalAggregation ToAggregation() => new(TimeSpan.FromMinutes(IntervalMinutes), AnswerTargetSeconds);
}
