using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>
/// In a Table client's pipeline: fails (before sending) every request whose unescaped URI contains
/// <paramref name="marker"/> (a table name, a partition key) with <paramref name="status"/>, while <see cref="Fail"/> is set.
/// </summary>
internal sealed class FailingRequests(string marker, int status = 503) : HttpPipelinePolicy
{
    public volatile bool Fail = true;

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        Fail && Uri.UnescapeDataString(message.Request.Uri.ToString()).Contains(marker, StringComparison.Ordinal)
            ? throw new RequestFailedException(status, $"injected: requests naming '{marker}' fail")
            : ProcessNextAsync(message, pipeline);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();
}
