using System.ComponentModel.DataAnnotations;

namespace CallBalancer.Functions;

/// <summary>How rebalance runs are spread over instances. Bound from <c>CallBalancer:Rebalance</c> (<c>CallBalancer__Rebalance__X</c>).</summary>
public sealed class RebalanceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Rebalance";

    /// <summary>
    /// The Storage queue that carries work items to the <c>RebalanceWorker</c> function. Empty (the default, and the
    /// dev host's) decides every queue inside the timer.
    /// </summary>
    [RegularExpression("^$|^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "WorkQueueName must be a valid Storage queue name.")]
    public string? WorkQueueName { get; set; }

    /// <summary>Call queues per work item, 1 to 1,000. Default 25.</summary>
    [Range(1, 1000)]
    public int QueuesPerWorkItem { get; set; } = 25;

    /// <summary>A work item older than this is skipped, a newer run having superseded it (seconds), 5 to 600. Default 60.</summary>
    [Range(5, 600)]
    public int MaxWorkItemAgeSeconds { get; set; } = 60;
}
