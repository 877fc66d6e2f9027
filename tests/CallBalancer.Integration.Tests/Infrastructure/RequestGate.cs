using Azure.Core;
using Azure.Core.Pipeline;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>
/// Holds the first request of a client that matches, until the test releases it: after its response has come back
/// (the caller has read but not yet acted on what it read) or before it is sent. Lets a test interleave two units of
/// work at an exact point on either backend, with no sleeps. Later matching requests pass straight through.
/// </summary>
internal sealed class RequestGate(Func<Request, bool> matches, bool holdResponse = true) : HttpPipelinePolicy
{
    private static readonly TimeSpan Deadlock = TimeSpan.FromSeconds(60);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Completes when the matching request is being held.</summary>
    public Task Reached => _reached.Task.WaitAsync(Deadlock);

    /// <summary>Matches the query that reads one table's rows (<c>GET {table}()</c>).</summary>
    public static Func<Request, bool> QueryOf(string table) =>
        r => r.Method == RequestMethod.Get && r.Uri.Path.EndsWith("/" + table + "()", StringComparison.Ordinal);

    /// <summary>Matches an entity-group transaction.</summary>
    public static Func<Request, bool> Transaction { get; } =
        r => r.Method == RequestMethod.Post && r.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal);

    /// <summary>
    /// Matches an entity-group transaction on one table (its name is only in the body: a transaction's URL is
    /// <c>$batch</c> whatever the table).
    /// </summary>
    public static Func<Request, bool> TransactionOn(string table) =>
        r => Transaction(r) && r.Content is { } content
            && System.Text.RegularExpressions.Regex.IsMatch(BodyOf(content), "/" + System.Text.RegularExpressions.Regex.Escape(table) + "[(? ]");

    /// <summary>Lets the held request (and every later one) go on.</summary>
    public void Release() => _released.TrySetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var hold = matches(message.Request) && Interlocked.Exchange(ref _held, 1) == 0;
        if (hold && !holdResponse)
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(Deadlock);
        }

        await ProcessNextAsync(message, pipeline);
        if (hold && holdResponse)
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(Deadlock);
        }
    }

    private static string BodyOf(RequestContent content)
    {
        using var buffer = new MemoryStream();
        content.WriteTo(buffer, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
}
