namespace CallBalancer.Core.Offers;

/// <summary>
/// The KPI weights of a product from <paramref name="EffectiveFrom"/> on: an acceptance credits the agent
/// <c>ValueWeight x DifficultyWeight</c> points, with the weights effective when the customer accepted.
/// </summary>
/// <param name="EffectiveFrom">When these weights start to apply (UTC instant).</param>
/// <param name="ValueWeight">What the product is worth to the bank, in relative points (&gt; 0); also the ranking's value term.</param>
/// <param name="DifficultyWeight">How hard the product is to sell, a multiplier (&gt; 0; 1 = ordinary).</param>
public sealed record ProductWeights(DateTimeOffset EffectiveFrom, double ValueWeight, double DifficultyWeight)
{
    /// <summary>The credit of one acceptance: value weight x difficulty weight, in KPI points.</summary>
    public double Credit => ValueWeight * DifficultyWeight;
}
