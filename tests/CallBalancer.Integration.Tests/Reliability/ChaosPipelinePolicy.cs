using Azure.Core;
using Azure.Core.Pipeline;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// Fault injection in the Table client's pipeline with Polly v8 chaos strategies, per try (inside the SDK's retry):
/// transport faults before a request is sent (it never reaches storage), transient 503 Server Busy answers (not sent
/// either), lost responses and time-outs after it was sent (storage committed it but the client does not know: the
/// case that turns a retried write into a spurious 412/409), and latency. Seeded, so a failing run can be replayed.
/// </summary>
internal sealed class ChaosPipelinePolicy : HttpPipelinePolicy
{
    private readonly ResiliencePipeline _beforeSend;
    private readonly ResiliencePipeline _afterSend;
    private readonly ResiliencePipeline _serverBusy;
    private readonly ResiliencePipeline _timeout;
    private readonly Random _random;
    private long _injectedBefore;
    private long _injectedAfter;
    private long _injectedBusy;
    private long _injectedTimeouts;

    public ChaosPipelinePolicy(int seed, double faultBeforeRate, double lostResponseRate, double latencyRate, double serverBusyRate = 0, double timeoutRate = 0)
    {
        _random = new Random(seed);
        _serverBusy = Fault(serverBusyRate, () => new ServerBusyInjectedException(), () => Interlocked.Increment(ref _injectedBusy));

        // What the SDK throws when a try exceeds its network timeout: a cancellation the caller did not ask for.
        _timeout = Fault(timeoutRate, () => new TaskCanceledException("chaos: timed out after send", new TimeoutException()), () => Interlocked.Increment(ref _injectedTimeouts));
        _beforeSend = new ResiliencePipelineBuilder()
            .AddChaosLatency(new ChaosLatencyStrategyOptions { InjectionRate = latencyRate, Latency = TimeSpan.FromMilliseconds(15), Randomizer = Next })
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = faultBeforeRate,
                Randomizer = Next,
                FaultGenerator = _ => new ValueTask<Exception?>(new IOException("chaos: connection reset before send")),
                OnFaultInjected = _ =>
                {
                    Interlocked.Increment(ref _injectedBefore);
                    return default;
                },
            })
            .Build();
        _afterSend = new ResiliencePipelineBuilder()
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = lostResponseRate,
                Randomizer = Next,
                FaultGenerator = _ => new ValueTask<Exception?>(new IOException("chaos: response lost after send")),
                OnFaultInjected = _ =>
                {
                    Interlocked.Increment(ref _injectedAfter);
                    return default;
                },
            })
            .Build();
    }

    public long InjectedBeforeSend => Interlocked.Read(ref _injectedBefore);

    public long InjectedAfterSend => Interlocked.Read(ref _injectedAfter);

    public long InjectedServerBusy => Interlocked.Read(ref _injectedBusy);

    public long InjectedTimeouts => Interlocked.Read(ref _injectedTimeouts);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await _beforeSend.ExecuteAsync(static _ => ValueTask.CompletedTask, message.CancellationToken);
        try
        {
            await _serverBusy.ExecuteAsync(static _ => ValueTask.CompletedTask, message.CancellationToken);
        }
        catch (ServerBusyInjectedException)
        {
            // The service is busy and says so: the request is not processed, and the SDK's retry sees a 503.
            message.Response = new ChaosResponse(503, message.Request.ClientRequestId);
            return;
        }

        await ProcessNextAsync(message, pipeline);
        await _afterSend.ExecuteAsync(static _ => ValueTask.CompletedTask, message.CancellationToken);
        await _timeout.ExecuteAsync(static _ => ValueTask.CompletedTask, message.CancellationToken);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    private ResiliencePipeline Fault(double rate, Func<Exception> fault, Action injected) => new ResiliencePipelineBuilder()
        .AddChaosFault(new ChaosFaultStrategyOptions
        {
            InjectionRate = rate,
            Randomizer = Next,
            FaultGenerator = _ => new ValueTask<Exception?>(fault()),
            OnFaultInjected = _ =>
            {
                injected();
                return default;
            },
        })
        .Build();

    private double Next()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    private sealed class ServerBusyInjectedException : Exception
    {
        public ServerBusyInjectedException()
            : base("chaos: server busy")
        {
        }

        public ServerBusyInjectedException(string message)
            : base(message)
        {
        }

        public ServerBusyInjectedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
