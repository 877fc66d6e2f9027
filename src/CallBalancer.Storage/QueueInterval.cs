using CallBalancer.Core.Telephony;

namespace CallBalancer.Storage;

/// <summary>The counts of one queue in one interval, summed over its shards.</summary>
/// <param name="IntervalStart">The interval's start (UTC).</param>
/// <param name="Counts">What happened in it.</param>
public sealed record QueueInterval(DateTimeOffset IntervalStart, IntervalCounts Counts);
