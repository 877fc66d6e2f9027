using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>Records which table each storage request goes to, to check what one dashboard refresh costs.</summary>
internal sealed class TableRequestLog : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<(string Method, string Table)> _requests = new();

    public IReadOnlyList<(string Method, string Table)> Requests => [.. _requests];

    public void Clear() => _requests.Clear();

    public override void OnSendingRequest(HttpMessage message)
    {
        // Path: /{account}/{table}(keys) or /{account}/{table}()?$filter=... or /{account}/Tables for table operations.
        var segments = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var table = segments.Length > 1 ? segments[1].Split('(', 2)[0] : string.Empty;
        _requests.Enqueue((message.Request.Method.ToString(), Uri.UnescapeDataString(table)));
    }
}
