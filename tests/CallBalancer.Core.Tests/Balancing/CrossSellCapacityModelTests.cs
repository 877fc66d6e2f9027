using CallBalancer.Core.Balancing;
using CallBalancer.Core.Queueing;
using FsCheck;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Balancing;

public sealed class CrossSellCapacityModelTests
{
    private static readonly QueueSettings Settings = QueueSettings.Default with { AhtSeconds = 177, PitchSeconds = 60, EligibleShare = 0.8 };

    [Property(MaxTest = 300)]
    public bool Cross_sellers_answer_no_more_than_their_head_count_share_and_more_of_them_answer_more(PositiveInt agentsSeed, PositiveInt crossSeed, PositiveInt rateSeed)
    {
        var agents = 1 + agentsSeed.Get % 300;
        var crossSelling = crossSeed.Get % (agents + 1);
        var rate = agents / Settings.AhtSeconds * (0.05 + rateSeed.Get % 150 / 100.0); // 5% to 155% of the service capacity
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, agents, crossSelling, Settings);
        var more = CrossSellCapacityModel.CrossSellerCallShare(rate, agents, Math.Min(agents, crossSelling + 1), Settings);
        var headCount = (double)crossSelling / agents;
        return share >= 0 && share <= headCount + 1e-12 && more >= share - 1e-12
            && (crossSelling > 0 || share == 0) && (crossSelling < agents || share == 1);
    }

    [Fact]
    public void At_full_load_cross_sellers_answer_in_proportion_to_their_throughput_and_in_a_quiet_queue_to_their_number()
    {
        // Half the agents cross-sell. Saturated: each answers calls at 1 / its handle time, so the share is
        // (1/225) / (1/225 + 1/177). Nearly idle: everyone waits about as long in the idle line, so the share is c/N.
        var crossHandle = Settings.AhtSeconds + Settings.EligibleShare * Settings.PitchSeconds;
        var throughputShare = 1 / crossHandle / (1 / crossHandle + 1 / Settings.AhtSeconds);
        var saturated = CrossSellCapacityModel.CrossSellerCallShare(200 / Settings.AhtSeconds * 1.3, 200, 100, Settings);
        var quiet = CrossSellCapacityModel.CrossSellerCallShare(0.001, 200, 100, Settings);

        Assert.Equal(throughputShare, saturated, 6);
        Assert.InRange(quiet, 0.49, 0.5);
    }

    [Fact]
    public void The_predicted_service_level_is_erlang_a_with_the_pitch_lengthened_handle_time_of_the_calls_cross_sellers_answer()
    {
        var model = new CrossSellCapacityModel();
        const double rate = 0.8;
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, 170, 60, Settings);
        var expected = ErlangA.Evaluate(
            new QueueLoad(CrossSellCapacityModel.RoundUp(rate), Settings.AhtSeconds + share * Settings.EligibleShare * Settings.PitchSeconds),
            170, Settings.TargetSeconds, Settings.PatienceSeconds).ServiceLevel;

        Assert.Equal(expected, model.PredictedServiceLevel(rate, 170, 60, Settings), 2);
        Assert.True(model.PredictedServiceLevel(rate, 170, 60, Settings) < model.PredictedServiceLevel(rate, 170, 0, Settings));
    }
}
