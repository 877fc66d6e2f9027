namespace CallBalancer.Storage;

/// <summary>How a rebalance unit of work retries after losing an ETag race.</summary>
public sealed class RebalanceRetryOptions
{
    /// <summary>Re-read-and-decide attempts after the first. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Base delay before a retry (exponential with jitter). Default 50 ms.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(50);
}
