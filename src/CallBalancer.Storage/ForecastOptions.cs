using System.ComponentModel.DataAnnotations;

namespace CallBalancer.Storage;

/// <summary>How the live forecast runs. Bound from <c>CallBalancer:Forecast</c> (<c>CallBalancer__Forecast__X</c>).</summary>
public sealed class ForecastOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Forecast";

    /// <summary>
    /// The centre's time zone (IANA or Windows id): the forecaster's days and weekday profiles are local, so a centre's
    /// working day is not cut at UTC midnight. Default <c>UTC</c>.
    /// </summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// How far ahead the rebalance looks at least (minutes), 5 to 480; it always sees the rest of the local day.
    /// Default 60.
    /// </summary>
    [Range(5, 480)]
    public int HorizonMinutes { get; set; } = 60;

    /// <summary>How long a rebalance reuses a queue's forecast before reading it again (seconds), 0 to 600. Default 60.</summary>
    [Range(0, 600)]
    public int CacheSeconds { get; set; } = 60;

    /// <summary>The time zone, resolved.</summary>
    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
