using Azure;

namespace CallBalancer.Storage;

/// <summary>Recognises "storage is unreachable or failing" errors, as opposed to a request storage refused on its merits.</summary>
public static class StorageFailure
{
    /// <summary>
    /// True for transport failures, time-outs, throttling and 5xx answers, including the
    /// <see cref="AggregateException"/> the SDK throws when its own retries are exhausted, and calls refused at once
    /// while the storage circuit is open (<see cref="StorageCircuitBreakerPolicy"/>).
    /// </summary>
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        Polly.CircuitBreaker.BrokenCircuitException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsUnavailable),
        HttpRequestException => true,
        TimeoutException => true,
        TaskCanceledException t => t.InnerException is TimeoutException || !t.CancellationToken.IsCancellationRequested,
        System.Net.Sockets.SocketException => true,
        IOException => true,
        _ => false,
    };
}
