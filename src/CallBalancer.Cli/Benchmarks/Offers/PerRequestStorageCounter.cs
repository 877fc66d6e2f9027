using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>
/// Counts the storage requests each HTTP request to the dev host makes, by function: a middleware opens a count that
/// flows with the request's async work, and a Table client pipeline policy adds every storage request (retries included)
/// to the open count. Timer runs in the background have no open count and are not attributed to any request.
/// </summary>
internal sealed class PerRequestStorageCounter : HttpPipelineSynchronousPolicy, IStartupFilter
{
    private static readonly AsyncLocal<StrongBox<int>?> Open = new();

    private readonly ConcurrentDictionary<string, (long Requests, long StorageRequests)> _byFunction = new(StringComparer.Ordinal);

    /// <summary>Storage requests per HTTP request, by function name.</summary>
    public IReadOnlyDictionary<string, double> PerRequest() =>
        _byFunction.OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => Math.Round((double)p.Value.StorageRequests / p.Value.Requests, 3));

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        if (Open.Value is { } count)
        {
            Interlocked.Increment(ref count.Value);
        }
    }

    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var count = new StrongBox<int>();
            Open.Value = count;
            await nextMiddleware(context);
            var name = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "(other)";
            _byFunction.AddOrUpdate(name, _ => (1, count.Value), (_, t) => (t.Requests + 1, t.StorageRequests + count.Value));
        });
        next(app);
    };
}
