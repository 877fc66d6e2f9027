using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Offers;

/// <summary>
/// The body of <c>PUT /api/customers/{customerId}/profile</c>. Unknown fields are refused, so a name or a card number
/// sent by mistake is a 400 and never stored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CustomerProfileRequest
{
    public string? Tier { get; set; }

    public int? TenureMonths { get; set; }

    public string[]? Holdings { get; set; }

    public Dictionary<string, double>? MonthlySpending { get; set; }
}
