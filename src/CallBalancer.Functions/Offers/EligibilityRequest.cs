using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Offers;

/// <summary>The <c>eligibility</c> object of a product request.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class EligibilityRequest
{
    public string[]? CardTiers { get; set; }

    public int? MinimumTenureMonths { get; set; }

    public string[]? SpendingCategories { get; set; }

    public string[]? ExclusiveWith { get; set; }
}
