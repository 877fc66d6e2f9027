namespace CallBalancer.Core.Balancing;

/// <summary>The mode an agent desktop shows: resolve only, or resolve and then offer a product.</summary>
public enum AgentMode
{
    /// <summary>Resolve the caller's request and end the call. The safe default.</summary>
    ServiceOnly,

    /// <summary>Resolve the request, then offer one of the products chosen for the caller.</summary>
    CrossSell,
}
