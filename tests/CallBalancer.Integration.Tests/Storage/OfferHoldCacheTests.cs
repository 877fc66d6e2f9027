using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class OfferHoldCacheTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private sealed class FixedForecast(double callsPer5Min) : IForecastSource
    {
        public DateTimeOffset From { get; init; }

        public Task<IReadOnlyList<ForecastInterval>?> GetUpcomingAsync(string queueId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ForecastInterval>?>(Enumerable.Range(-1, 8)
                .Select(k => new ForecastInterval(From.AddSeconds(300 * k), 300, callsPer5Min, callsPer5Min * 1.15))
                .ToList());
    }

    private QueueSnapshot Queue(string queueId, int agents, int onCall) =>
        new(queueId, Time.GetUtcNow().AddSeconds(-2), 0, 0,
            Enumerable.Range(0, agents)
                .Select(i => new AgentPresence($"{queueId}-agent{i:D4}", i < onCall ? AgentState.OnCall : AgentState.Available))
                .ToList());

    // The real-time load guard is off so that the forecast alone says how quiet the queue is: with it, 58 busy agents
    // would themselves be read as a load of about 1,000 calls/h.
    private static readonly QueueSettings ForecastOnly = QueueSettings.Default with { RealTimeLoadGuard = false };

    private OfferHoldCache Cache(IForecastSource? forecasts, QueueSettings? settings = null) =>
        new(Snapshots, new TableQueueSettingsSource(new SupervisionStore(Tables), settings ?? ForecastOnly), Time, forecasts, new ModePolicy());

    [Fact]
    public async Task A_quiet_large_queue_gets_the_lower_reserve_the_rebalance_records_and_its_offers_are_no_longer_held()
    {
        // 60 agents, 58 on a call, 600 calls/h of 180 s forecast: quiet by the forecast; two agents free now
        // besides the one asking (on a call), fewer than the full reserve of 3.
        var snapshot = Queue("cards", 60, 58);
        await Snapshots.SaveLatestAsync(snapshot);
        var quiet = new FixedForecast(50) { From = Time.GetUtcNow() };

        var (read, settings) = await Cache(quiet).GetAsync("cards");
        var (_, plain) = await Cache(forecasts: null).GetAsync("cards");

        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, plain.OfferHoldMinIdleAgents);
        Assert.Equal(QueueSettings.Default.OfferHoldQuietMinIdleAgents, settings.OfferHoldMinIdleAgents);
        var agent = snapshot.Agents[0].AgentId;
        Assert.NotNull(OfferHold.Reason(read, agent, Time.GetUtcNow(), plain));
        Assert.Null(OfferHold.Reason(read, agent, Time.GetUtcNow(), settings));

        // The rebalance on the same snapshot, forecast and settings records the same reserve with its decision.
        var rebalancer = new QueueRebalancer(Snapshots, Modes, Decisions, new DefaultQueueSettingsSource(ForecastOnly), new ModePolicy(), Time,
            new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 }, quiet);
        var decision = await rebalancer.RebalanceAsync("cards");
        Assert.Equal(settings.OfferHoldMinIdleAgents, decision.OfferHoldMinIdleAgents);
        var logged = await Decisions.ListRecentAsync("cards", 1);
        Assert.Equal(settings.OfferHoldMinIdleAgents, logged[0].Inputs["offerHoldMinIdleAgents"]);
    }

    [Fact]
    public async Task A_busy_queue_or_one_without_a_snapshot_keeps_the_full_reserve()
    {
        await Snapshots.SaveLatestAsync(Queue("busy", 60, 55));
        var (_, busy) = await Cache(new FixedForecast(92) { From = Time.GetUtcNow() }).GetAsync("busy");
        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, busy.OfferHoldMinIdleAgents);

        // The same 55 busy agents under a quiet forecast, with the real-time guard on (the default): they are the load.
        var (_, guarded) = await Cache(new FixedForecast(50) { From = Time.GetUtcNow() }, QueueSettings.Default).GetAsync("busy");
        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, guarded.OfferHoldMinIdleAgents);

        var (none, settings) = await Cache(new FixedForecast(50) { From = Time.GetUtcNow() }).GetAsync("no-snapshot");
        Assert.Null(none);
        Assert.Equal(QueueSettings.Default.OfferHoldMinIdleAgents, settings.OfferHoldMinIdleAgents);
    }
}
