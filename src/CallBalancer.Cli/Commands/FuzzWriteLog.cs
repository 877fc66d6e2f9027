using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Http;

namespace CallBalancer.Cli.Commands;

/// <summary>
/// For <c>fuzz</c>: a pipeline policy on the dev host's Table client that notes every storage write that succeeded
/// (an entity insert, update, merge or delete, or a committed transaction; creating an empty table is not a write),
/// by the fuzz request it served (the <c>X-Fuzz-Request</c> header of the HTTP request in flight), so that a rejected
/// request can be shown to have written nothing.
/// </summary>
internal sealed class FuzzWriteLog(IHttpContextAccessor http) : HttpPipelinePolicy
{
    public const string Header = "X-Fuzz-Request";

    private readonly ConcurrentDictionary<int, int> _writes = new();

    /// <summary>Successful storage writes made while serving fuzz request <paramref name="request"/>.</summary>
    public int WritesOf(int request) => _writes.GetValueOrDefault(request);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        Note(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Note(message);
    }

    private void Note(HttpMessage message)
    {
        if (http.HttpContext?.Request.Headers[Header].ToString() is not { Length: > 0 } id
            || !int.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var request)
            || message.Request.Method == RequestMethod.Get
            || message.Request.Uri.Path.EndsWith("/Tables", StringComparison.Ordinal)
            || !message.HasResponse
            || message.Response.Status is < 200 or >= 300)
        {
            return;
        }

        // A transaction answers 202 whether it committed or not; its parts say which.
        var committed = !message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal)
            || !message.Response.Content.ToString().Contains("HTTP/1.1 4", StringComparison.Ordinal);
        if (committed)
        {
            _writes.AddOrUpdate(request, 1, (_, n) => n + 1);
        }
    }
}
