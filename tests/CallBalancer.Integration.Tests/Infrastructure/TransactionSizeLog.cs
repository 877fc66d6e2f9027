using System.Collections.Concurrent;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>
/// Records how many operations each entity-group transaction (<c>$batch</c>) carries. Azurite does not enforce the Table
/// service's limit of 100, so tests check it here.
/// </summary>
internal sealed class TransactionSizeLog : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<int> _sizes = new();

    public IReadOnlyList<int> Sizes => [.. _sizes];

    public override void OnSendingRequest(HttpMessage message)
    {
        if (!message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) || message.Request.Content is null)
        {
            return;
        }

        using var body = new MemoryStream();
        message.Request.Content.WriteTo(body, message.CancellationToken);
        var text = Encoding.UTF8.GetString(body.ToArray());

        // Each operation of the changeset is one part of type application/http.
        var operations = 0;
        for (var i = text.IndexOf("application/http", StringComparison.Ordinal); i >= 0; i = text.IndexOf("application/http", i + 1, StringComparison.Ordinal))
        {
            operations++;
        }

        _sizes.Enqueue(operations);
    }
}
