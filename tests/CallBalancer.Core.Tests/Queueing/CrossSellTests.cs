using CallBalancer.Core.Queueing;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Queueing;

public sealed class CrossSellTests
{
    private static CrossSellScenario Scenario(double callsPerHour, double aht, double pitch, double eligible, int agents, double? patience = null, double sl = 0.8, double t = 20) =>
        new(QueueLoad.FromCallsPerHour(callsPerHour, aht), pitch, eligible, agents, new StaffingTarget(sl, t), patience);

    private static void Close(double expected, double actual, double tol) =>
        Assert.True(Math.Abs(expected - actual) <= tol, $"expected {expected:R}, got {actual:R} (tolerance {tol})");

    [Theory]
    [InlineData(360, 240, 28, null)]
    [InlineData(360, 240, 28, 120.0)]
    [InlineData(360, 240, 22, 60.0)]
    [InlineData(900, 180, 50, null)]
    public void Threshold_zero_is_plain_Erlang(double callsPerHour, double aht, int agents, double? patience)
    {
        // Never offering leaves M/M/N(+M): the chain must reproduce Erlang C / Erlang A, computed by other code.
        var s = Scenario(callsPerHour, aht, 90, 0.7, agents, patience);
        var exact = CrossSellThresholdPolicy.Evaluate(s, 0);
        var load = QueueLoad.FromCallsPerHour(callsPerHour, aht);
        var erlang = patience is { } p ? ErlangA.Evaluate(load, agents, 20, p) : ErlangC.Evaluate(load, agents, 20);
        Close(erlang.ProbabilityOfWaiting, exact.ProbabilityOfWaiting, 1e-9);
        Close(erlang.ServiceLevel, exact.ServiceLevel, 1e-9);
        Close(erlang.AbandonmentProbability, exact.AbandonmentProbability, 1e-9);
        Close(erlang.AverageWaitSeconds, exact.AverageWaitSeconds, 1e-6);
        Close(aht, exact.MeanHandleSeconds, 1e-6);
        Assert.Equal(0, exact.OffersPerHour);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(120.0)]
    public void Threshold_rule_matches_an_independent_simulation(double? patience)
    {
        // 4 agents, 40 calls/h of 240 s (2.67 Erlangs), 120 s pitches to 60% of callers while at most 3 are in the system.
        var s = Scenario(40, 240, 120, 0.6, 4, patience);
        var exact = CrossSellThresholdPolicy.Evaluate(s, 3);
        var sim = CrossSellSimulation.Run(40 / 3600.0, 240, 120, 0.6, 4, 3, patience, 20, 600_000, 12345);
        // Binomial standard errors at 600,000 calls are below 0.0007; allow about five of them.
        Close(exact.ProbabilityOfWaiting, sim.ProbWait, 0.004);
        Close(exact.ServiceLevel, sim.ServiceLevel, 0.004);
        Close(exact.AbandonmentProbability, sim.AbandonRate, 0.003);
        Close(exact.OfferShare, sim.OfferShare, 0.004);
        Assert.True(exact.OfferShare > 0.1);
    }

    [Property(MaxTest = 25)]
    public bool Offering_more_lowers_the_exact_service_level(int loadSeed, int agentSeed, int thresholdSeed, bool abandon)
    {
        var agents = 2 + Math.Abs(agentSeed % 14);
        var erlangs = agents * (0.4 + (Math.Abs(loadSeed % 50) / 100.0)); // utilisation 40% .. 89%
        var s = Scenario(erlangs * 3600 / 240, 240, 60 + Math.Abs(loadSeed % 120), 0.5, agents, abandon ? 90 : null);
        var l = Math.Abs(thresholdSeed % agents);
        var lower = CrossSellThresholdPolicy.Evaluate(s, l);
        var higher = CrossSellThresholdPolicy.Evaluate(s, l + 1);
        return higher.ServiceLevel <= lower.ServiceLevel + 1e-9 && higher.OffersPerHour >= lower.OffersPerHour - 1e-9
            && lower.BalanceResidual < 1e-9 && higher.BalanceResidual < 1e-9 && higher.TruncatedMass < 1e-12;
    }

    [Fact]
    public void Best_threshold_is_the_largest_meeting_the_target()
    {
        var s = Scenario(360, 240, 90, 0.6, 30);
        var best = CrossSellThresholdPolicy.BestThreshold(s);
        Assert.NotNull(best);
        Assert.True(best.ServiceLevel >= 0.8);
        Assert.True(best.Threshold <= 30);
        if (best.Threshold < 30)
        {
            Assert.True(CrossSellThresholdPolicy.Evaluate(s, best.Threshold + 1).ServiceLevel < 0.8);
        }

        Assert.Null(CrossSellThresholdPolicy.BestThreshold(Scenario(360, 240, 90, 0.6, 26, sl: 0.95)));
    }

    [Fact]
    public void Capacity_is_the_largest_number_of_cross_sellers_meeting_the_target()
    {
        var s = Scenario(360, 240, 90, 0.6, 32);
        var r = CrossSellCapacity.Compute(s);
        Assert.True(r.TargetMetWithoutCrossSell);
        Assert.InRange(r.MaxCrossSellAgents, 1, 31);
        Assert.True(r.ServiceLevelAtCapacity >= 0.8);
        Assert.True(CrossSellCapacity.Predict(s, r.MaxCrossSellAgents + 1).ServiceLevel < 0.8);
        // With nobody cross-selling the prediction is plain Erlang C.
        Assert.Equal(ErlangC.Evaluate(QueueLoad.FromCallsPerHour(360, 240), 32, 20).ServiceLevel, r.ServiceLevelWithoutCrossSell, 12);
        Assert.InRange(r.OfferShare, 0.0, 0.6);
        Assert.Equal(360 * r.OfferShare, r.OffersPerHour, 9);
    }

    [Fact]
    public void Mixed_handle_time_is_the_throughput_weighted_mean()
    {
        var s = Scenario(360, 240, 100, 0.5, 10);
        Assert.Equal(240, CrossSellCapacity.MixedHandleSeconds(s, 0), 12);
        Assert.Equal(290, CrossSellCapacity.MixedHandleSeconds(s, 10), 12);
        // 5 of 10 agents at 290 s and 5 at 240 s: 10 / (5/290 + 5/240) = 262.6415...
        Assert.Equal(10 / ((5 / 290.0) + (5 / 240.0)), CrossSellCapacity.MixedHandleSeconds(s, 5), 12);
        Assert.Equal(0.5 * (5 / 290.0) / ((5 / 290.0) + (5 / 240.0)), CrossSellCapacity.OfferShare(s, 5), 12);
    }

    [Fact]
    public void Capacity_is_zero_when_service_only_already_misses_and_everyone_when_nothing_is_eligible()
    {
        var tight = CrossSellCapacity.Compute(Scenario(360, 240, 90, 0.6, 26, sl: 0.95));
        Assert.False(tight.TargetMetWithoutCrossSell);
        Assert.Equal(0, tight.MaxCrossSellAgents);
        Assert.Equal(30, CrossSellCapacity.Compute(Scenario(360, 240, 90, 0, 30)).MaxCrossSellAgents);
    }

    [Property(MaxTest = 100)]
    public bool More_agents_never_reduce_capacity(int loadSeed, int agentSeed, int pitchSeed, bool abandon)
    {
        var erlangs = 1 + (Math.Abs(loadSeed % 400) * 0.5);
        var agents = (int)Math.Ceiling(erlangs) + 1 + Math.Abs(agentSeed % 30);
        CrossSellScenario S(int n) => Scenario(erlangs * 15, 240, 30 + Math.Abs(pitchSeed % 300), 0.7, n, abandon ? 100 : null);
        var k = CrossSellCapacity.Compute(S(agents));
        var k1 = CrossSellCapacity.Compute(S(agents + 1));
        return k1.MaxCrossSellAgents >= k.MaxCrossSellAgents
            && (!k.TargetMetWithoutCrossSell || k.ServiceLevelAtCapacity >= 0.8);
    }
}
