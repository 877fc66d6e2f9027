using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Polly;
using Polly.CircuitBreaker;

namespace CallBalancer.Storage;

/// <summary>
/// Fails fast while the Table service is down. Every call already gets the SDK's own retries (3, exponential: about
/// 6 s against a dead endpoint); once most calls of the last 15 s have failed after those retries, the circuit opens
/// for 5 s and calls fail at once with <see cref="BrokenCircuitException"/>, which <see cref="StorageFailure"/> counts
/// as unavailable. So agent desktops get their fail-safe answer, and platforms their 503, in milliseconds instead of
/// after the retries (webhook senders time out after a few seconds). Then one trial call tests storage again; the
/// first that succeeds closes the circuit, so recovery follows storage within the break time. Sits per call, outside
/// the SDK's retries, so it sees only what those retries could not fix.
/// </summary>
internal sealed class StorageCircuitBreakerPolicy : HttpPipelinePolicy
{
    private readonly ResiliencePipeline _breaker;

    public StorageCircuitBreakerPolicy(TimeProvider? time = null)
    {
        _breaker = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(15),
                BreakDuration = TimeSpan.FromSeconds(5),
                ShouldHandle = new PredicateBuilder()
                    .Handle<Exception>(StorageFailure.IsUnavailable)
                    .Handle<StorageFailedResponseException>(),
            })
            .Build();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await _breaker.ExecuteAsync(
                async (state, _) =>
                {
                    await ProcessNextAsync(state.Message, state.Pipeline);
                    if (state.Message.HasResponse && state.Message.Response.Status >= 500)
                    {
                        // The service answered, but with a failure the SDK's retries could not fix: counts against storage.
                        throw new StorageFailedResponseException();
                    }
                },
                (Message: message, Pipeline: pipeline),
                message.CancellationToken);
        }
        catch (StorageFailedResponseException)
        {
            // The answer stands as it is: the client turns it into its RequestFailedException as usual.
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    /// <summary>Marks a 5xx answer as a failure for the breaker without replacing the answer.</summary>
    private sealed class StorageFailedResponseException : Exception
    {
        public StorageFailedResponseException()
            : base("The Table service answered with a server error.")
        {
        }

        public StorageFailedResponseException(string message)
            : base(message)
        {
        }

        public StorageFailedResponseException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
