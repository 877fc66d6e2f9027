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
    /// Partitions per queue and interval (and per queue for call records), 1 to 32. Default 4. More shards spread a
    /// busy queue over more partitions (the Table service serves about 2,000 entities/s per partition); fewer shards
    /// mean fewer transactions per batch. Change it only between days: an event's dedupe row is found by its shard.
    /// </summary>
    [Range(1, 32)]
    public int ShardCount { get; set; } = 4;

    /// <summary>The aggregation these options describe.</summary>
    public IntervalAggregation ToAggregation() => new(TimeSpan.FromMinutes(IntervalMinutes), AnswerTargetSeconds);
}
