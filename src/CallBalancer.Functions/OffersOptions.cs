using System.ComponentModel.DataAnnotations;
using CallBalancer.Core.Offers;

namespace CallBalancer.Functions;

/// <summary>The cross-sell offer rules. Bound from <c>CallBalancer:Offers</c> (<c>CallBalancer__Offers__X</c>).</summary>
public sealed class OffersOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Offers";

    /// <summary>Offers with a recorded answer allowed per customer in any window, 1 to 50. Default 3.</summary>
    [Range(1, 50)]
    public int MaxOffersPerWindow { get; set; } = 3;

    /// <summary>The contact window in days, 1 to 365. Default 30.</summary>
    [Range(1, 365)]
    public int WindowDays { get; set; } = 30;

    /// <summary>Seconds an instance reuses the catalogue it read, 0 to 3,600. Default 30.</summary>
    [Range(0, 3600)]
    public int CatalogueCacheSeconds { get; set; } = 30;

    /// <summary>Pseudo-offers the reason rules' prior acceptance rate is worth, 1 to 10,000. Default 20.</summary>
    [Range(1, 10000)]
    public double PriorStrength { get; set; } = 20;

    /// <summary>The contact policy these options describe.</summary>
    public ContactPolicy ToContactPolicy() => new(MaxOffersPerWindow, WindowDays);
}
