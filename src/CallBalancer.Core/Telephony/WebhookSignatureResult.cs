namespace CallBalancer.Core.Telephony;

/// <summary>The outcome of checking an <c>X-CallBalancer-Signature</c> header.</summary>
public enum WebhookSignatureResult
{
    /// <summary>The signature matches the body and the timestamp is within the replay window.</summary>
    Valid,

    /// <summary>No signature header.</summary>
    Missing,

    /// <summary>The header is not <c>t=&lt;unix&gt;,v1=&lt;hex&gt;</c>.</summary>
    Malformed,

    /// <summary>The signed timestamp is more than five minutes from the server clock (a replay, or a skewed clock).</summary>
    OutsideWindow,

    /// <summary>No <c>v1</c> value matches: wrong secret or a modified body.</summary>
    Mismatch,
}
