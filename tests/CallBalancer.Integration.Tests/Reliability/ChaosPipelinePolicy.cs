using Azure.Core;
using Azure.Core.Pipeline;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// Fault injection in the Table client's pipeline with Polly v8 chaos strategies, per try (inside the SDK's retry):
/// transport faults before a request is sent (it never reaches storage), lost responses after it was sent (storage
/// committed it but the client does not know: the case that turns a retried write into a spurious 412/409), and
/// latency. Seeded, so a failing run can be replayed.
/// </summary>
internal sealed class ChaosPipelinePolicy : HttpPipelinePolicy
{
    private readonly ResiliencePipeline _beforeSend;
    private readonly ResiliencePipeline _afterSend;
    private readonly Random _random;
    private long _injectedBefore;
    private long _injectedAfter;

    public ChaosPipelinePolicy(int seed, double faultBeforeRate, double lostResponseRate, double latencyRate)
    {
        _random = new Random(seed);
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

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await _beforeSend.ExecuteAsync(static _ => ValueTask.CompletedTask, message.CancellationToken);
        await ProcessNextAsync(message, pipeline);
        await _afterSend.ExecuteAsync(static _ => ValueTask.CompletedTask, message.CancellationToken);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    private double Next()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }
}
