using System.ComponentModel.DataAnnotations;

namespace CallBalancer.Functions;

/// <summary>How long decisions and snapshots are kept. Bound from <c>CallBalancer:Retention</c> (<c>CallBalancer__Retention__Days</c>).</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Retention";

    /// <summary>Days to keep, 1 to 3,650. Default 35 (a month of history for explaining decisions, plus slack).</summary>
    [Range(1, 3650)]
    public int Days { get; set; } = 35;
}
