using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>An answer the Table service did not give: a chaos-injected status (503 Server Busy) with no body.</summary>
internal sealed class ChaosResponse(int status, string clientRequestId) : Response
{
    public override int Status { get; } = status;

    public override string ReasonPhrase => "Server Busy (chaos)";

    // The transport classifies real answers; this one never reaches it, so it says itself that it is an error (which
    // is what lets the SDK's retry policy retry it, as it retries a real 503).
    public override bool IsError => Status >= 400;

    public override Stream? ContentStream { get; set; } = new MemoryStream();

    public override string ClientRequestId { get; set; } = clientRequestId;

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool ContainsHeader(string name) => false;

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = null;
        return false;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = null;
        return false;
    }
}
