using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Offers;

/// <summary>The body of <c>PUT /api/products/{productId}</c>: the whole product definition.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ProductRequest
{
    public string? Name { get; set; }

    public string? Category { get; set; }

    public double? ValueWeight { get; set; }

    public double? DifficultyWeight { get; set; }

    /// <summary>When changed weights take effect; default now. Never in the past: a change applies from its date on.</summary>
    public DateTimeOffset? WeightsEffectiveFrom { get; set; }

    public EligibilityRequest? Eligibility { get; set; }

    public int? CoolDownDays { get; set; }

    public DateTimeOffset? ActiveFrom { get; set; }

    public DateTimeOffset? ActiveTo { get; set; }

    /// <summary>Why, for the catalogue's audit (optional, at most 500 characters).</summary>
    public string? Reason { get; set; }
}
