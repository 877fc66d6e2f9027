namespace CallBalancer.Core.Offers;

/// <summary>One product to offer, with its score and a reason the agent can say in their own words.</summary>
/// <param name="ProductId">The product.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Score">Expected value: acceptance propensity x value weight (KPI points per offer).</param>
/// <param name="Propensity">The estimated acceptance probability (0..1).</param>
/// <param name="Why">A plain-language reason.</param>
public sealed record RecommendedOffer(string ProductId, string Name, double Score, double Propensity, string Why);
