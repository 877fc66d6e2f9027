namespace CallBalancer.Core.Offers;

/// <summary>The tier of the customer's main card, lowest first. Wire names: <c>classic</c>, <c>gold</c>, <c>platinum</c>.</summary>
public enum CardTier
{
    /// <summary>The entry tier.</summary>
    Classic,

    /// <summary>The middle tier.</summary>
    Gold,

    /// <summary>The top tier (no upgrade above it).</summary>
    Platinum,
}
