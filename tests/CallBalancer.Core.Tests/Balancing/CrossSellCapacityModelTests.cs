using CallBalancer.Core.Balancing;
using CallBalancer.Core.Queueing;
using FsCheck;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Balancing;

public sealed class CrossSellCapacityModelTests
{
    // A hold of one free agent (the threshold N − 1 of the exact chain) unless a test says otherwise.
    private static readonly QueueSettings Settings = QueueSettings.Default with { AhtSeconds = 177, PitchSeconds = 60, EligibleShare = 0.8, OfferHoldMinIdleAgents = 1 };

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

    [Property(MaxTest = 1000)]
    public bool Rates_are_rounded_up_to_a_one_percent_grid_once_so_a_rounded_rate_stays_where_it_is(PositiveInt mantissa, int exponent)
    {
        var rate = mantissa.Get / 1000.0 * Math.Pow(10, exponent % 4); // 0.001 to about 2·10⁹ calls per second
        var rounded = CrossSellCapacityModel.RoundUp(rate);
        return rounded >= rate * (1 - 1e-10) && rounded < rate * Math.Exp(0.01) * (1 + 1e-12) && CrossSellCapacityModel.RoundUp(rounded) == rounded;
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
        // Without the offer hold every eligible call of a cross-seller carries the pitch, whatever the queue.
        var plain = Settings with { OfferHold = false };
        var model = new CrossSellCapacityModel();
        const double rate = 0.8;
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, 170, 60, plain);
        var expected = ErlangA.Evaluate(
            new QueueLoad(CrossSellCapacityModel.RoundUp(rate), plain.AhtSeconds + share * plain.EligibleShare * plain.PitchSeconds),
            170, plain.TargetSeconds, plain.PatienceSeconds).ServiceLevel;

        Assert.Equal(expected, model.PredictedServiceLevel(rate, 170, 60, plain), 2);
        Assert.True(model.PredictedServiceLevel(rate, 170, 60, plain) < model.PredictedServiceLevel(rate, 170, 0, plain));
    }

    [Fact]
    public void The_predicted_abandonment_is_erlang_as_with_the_pitch_lengthened_handle_time_and_grows_with_cross_sellers()
    {
        var plain = Settings with { OfferHold = false };
        var model = new CrossSellCapacityModel();
        const double rate = 0.9;
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, 170, 60, plain);
        var expected = ErlangA.Evaluate(
            new QueueLoad(CrossSellCapacityModel.RoundUp(rate), plain.AhtSeconds + share * plain.EligibleShare * plain.PitchSeconds),
            170, plain.TargetSeconds, plain.PatienceSeconds).AbandonmentProbability;

        Assert.Equal(expected, model.PredictedAbandonment(rate, 170, 60, plain), 9);
        Assert.True(model.PredictedAbandonment(rate, 170, 60, plain) > model.PredictedAbandonment(rate, 170, 0, plain));
        Assert.True(model.PredictedAbandonment(rate, 170, 60, Settings) < model.PredictedAbandonment(rate, 170, 60, plain), "the hold spares waiting callers");
        Assert.Equal(0, model.PredictedAbandonment(rate, 170, 60, plain with { PatienceSeconds = double.PositiveInfinity }));
    }

    [Property(MaxTest = 100)]
    public bool The_capacity_is_the_most_cross_sellers_that_keep_both_the_service_level_and_the_abandonment_cap(
        PositiveInt agentsSeed, PositiveInt loadSeed, PositiveInt goalSeed, PositiveInt capSeed, bool smallReserve)
    {
        // Small queues with a reserve of 3 take the exact chain, the others the birth-death approximation.
        var agents = 2 + agentsSeed.Get % 120;
        var settings = Settings with { OfferHoldMinIdleAgents = smallReserve ? 1 : 3 };
        var rate = (0.5 + loadSeed.Get % 60 / 100.0) * agents / settings.AhtSeconds;
        var goal = 0.7 + goalSeed.Get % 50 / 200.0; // 0.70 to 0.945, on the model's 0.0005 grid
        var cap = 0.005 * (1 + capSeed.Get % 20); // 0.5% to 10%
        var model = new CrossSellCapacityModel();
        bool Meets(int c) =>
            model.PredictedServiceLevel(rate, agents, c, settings) >= goal && model.PredictedAbandonment(rate, agents, c, settings) <= cap;

        var capacity = model.Capacity(rate, agents, goal, cap, settings);
        var serviceLevelOnly = model.Capacity(rate, agents, goal, 1, settings);
        var looser = model.Capacity(rate, agents, goal, cap + 0.01, settings);
        return capacity >= 0 && capacity <= serviceLevelOnly && capacity <= looser
            && (Meets(capacity) || (capacity == 0 && !Meets(0)))
            && (capacity == agents || !Meets(capacity + 1));
    }

    [Property(MaxTest = 40)]
    public bool With_the_offer_hold_the_prediction_lies_between_the_plain_model_and_the_exact_chain_of_the_hold(
        PositiveInt agentsSeed, PositiveInt loadSeed, PositiveInt crossSeed)
    {
        // The exact chain (CrossSellThresholdPolicy, threshold N − 1: pitch at the end of the request only while
        // another agent is free and nobody waits) with the cross-sellers' share of the eligible calls; the held model
        // must not be more optimistic than it (it is the safe side), nor more pessimistic than pitching regardless.
        var agents = 2 + agentsSeed.Get % 24;
        var rho = 0.6 + loadSeed.Get % 45 / 100.0; // 60% to 104% of the agents' service capacity
        var crossSelling = 1 + crossSeed.Get % agents;
        var rate = rho * agents / Settings.AhtSeconds;
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, agents, crossSelling, Settings);
        var aht = Settings.AhtSeconds + share * Settings.EligibleShare * Settings.PitchSeconds;

        var held = CrossSellCapacityModel.HeldPitchServiceLevel(rate, agents, aht, Settings);
        var plainModel = ErlangA.Evaluate(new QueueLoad(rate, aht), agents, Settings.TargetSeconds, Settings.PatienceSeconds).ServiceLevel;
        var serviceOnly = ServiceOnly(rate, agents, Settings);
        var exact = ExactChain(rate, agents, share, agents - 1, Settings);

        return plainModel <= held + 1e-9 && held <= exact + 1e-6 && exact <= serviceOnly + 1e-6;
    }

    [Theory]
    [InlineData(20, 0.8, 10)]
    [InlineData(60, 0.9, 60)]
    [InlineData(170, 0.95, 40)]
    public void With_infinite_patience_the_held_model_lies_between_the_plain_erlang_c_and_service_only(int agents, double rho, int crossSelling)
    {
        var patient = Settings with { PatienceSeconds = double.PositiveInfinity };
        var rate = rho * agents / patient.AhtSeconds;
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, agents, crossSelling, patient);
        var aht = patient.AhtSeconds + share * patient.EligibleShare * patient.PitchSeconds;

        var held = CrossSellCapacityModel.HeldPitchServiceLevel(rate, agents, aht, patient);
        var plainModel = ErlangC.ServiceLevel(new QueueLoad(rate, aht), agents, patient.TargetSeconds);
        var serviceOnly = ErlangC.ServiceLevel(new QueueLoad(rate, patient.AhtSeconds), agents, patient.TargetSeconds);

        Assert.InRange(held, plainModel, serviceOnly);
        Assert.True(held < serviceOnly, $"{crossSelling} cross-sellers cost nothing: {held} against {serviceOnly}");
    }

    [Fact]
    public void With_the_offer_hold_the_policy_asks_the_held_model_and_nobody_cross_selling_is_service_only()
    {
        var model = new CrossSellCapacityModel();
        var rate = CrossSellCapacityModel.RoundUp(0.8);
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, 170, 60, Settings);
        var held = CrossSellCapacityModel.HeldPitchServiceLevel(
            rate, 170, Settings.AhtSeconds + share * Settings.EligibleShare * Settings.PitchSeconds, Settings);
        var serviceOnly = ServiceOnly(rate, 170, Settings);

        Assert.True(Settings.OfferHold);
        Assert.Equal(held, model.PredictedServiceLevel(0.8, 170, 60, Settings), 12);
        Assert.Equal(serviceOnly, model.PredictedServiceLevel(0.8, 170, 0, Settings), 12);
        Assert.True(model.Capacity(0.8, 170, 0.9, 1, Settings) > model.Capacity(0.8, 170, 0.9, 1, Settings with { OfferHold = false }));
    }

    [Property(MaxTest = 40)]
    public bool A_higher_hold_threshold_predicts_no_less_and_stays_below_the_exact_chain_of_that_threshold(
        PositiveInt agentsSeed, PositiveInt loadSeed, PositiveInt crossSeed, PositiveInt thresholdSeed)
    {
        // The hold that waits for t free agents: the exact chain is CrossSellThresholdPolicy with threshold N − t (pitch
        // at the end of the request only while at most N − t callers are in the system, that one included).
        var agents = 4 + agentsSeed.Get % 22;
        var rho = 0.6 + loadSeed.Get % 45 / 100.0;
        var crossSelling = 1 + crossSeed.Get % agents;
        var t = 1 + thresholdSeed.Get % 4;
        var rate = rho * agents / Settings.AhtSeconds;
        var lower = Settings with { OfferHoldMinIdleAgents = t };
        var higher = Settings with { OfferHoldMinIdleAgents = t + 1 };
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, agents, crossSelling, lower);
        var aht = Settings.AhtSeconds + share * Settings.EligibleShare * Settings.PitchSeconds;

        var heldLower = CrossSellCapacityModel.HeldPitchServiceLevel(rate, agents, aht, lower);
        var heldHigher = CrossSellCapacityModel.HeldPitchServiceLevel(rate, agents, aht, higher);
        var exact = ExactChain(rate, agents, share, agents - t, Settings);
        var serviceOnly = ServiceOnly(rate, agents, Settings);

        return heldLower <= heldHigher + 1e-12 && heldLower <= exact + 1e-6 && heldHigher <= serviceOnly + 1e-9;
    }

    [Fact]
    public void The_held_chain_with_a_threshold_of_one_free_agent_is_erlang_b_at_the_pitch_lengthened_load_and_a_threshold_above_the_staff_is_service_only()
    {
        const double rate = 0.3;
        const int agents = 60;
        const double aht = 200;

        Assert.Equal(ErlangB.Blocking(agents, rate * aht), CrossSellCapacityModel.HeldBlocking(rate, agents, aht, Settings.AhtSeconds, 1), 12);
        Assert.Equal(
            ErlangB.Blocking(agents, rate * Settings.AhtSeconds),
            CrossSellCapacityModel.HeldBlocking(rate, agents, aht, Settings.AhtSeconds, agents + 1), 12);
        var serviceOnly = ServiceOnly(rate, agents, Settings);
        Assert.Equal(serviceOnly, CrossSellCapacityModel.HeldPitchServiceLevel(rate, agents, aht, Settings with { OfferHoldMinIdleAgents = agents + 1 }), 9);
    }

    [Fact]
    public void A_hold_that_lets_callers_wait_gets_no_credit_from_the_model()
    {
        // OfferHoldMaxWaiting above 0 lets pitches start while callers wait: the plain model, not the held one.
        var model = new CrossSellCapacityModel();
        var lenient = Settings with { OfferHoldMaxWaiting = 2 };
        var plain = Settings with { OfferHold = false };

        Assert.Equal(model.PredictedServiceLevel(0.8, 170, 60, plain), model.PredictedServiceLevel(0.8, 170, 60, lenient), 12);
        Assert.True(model.PredictedServiceLevel(0.8, 170, 60, Settings) > model.PredictedServiceLevel(0.8, 170, 60, lenient));
    }

    [Theory]
    [InlineData(8, 0.7, 8, 3)]
    [InlineData(12, 0.85, 6, 3)]
    [InlineData(30, 0.9, 20, 2)]
    public void A_small_queue_gets_the_exact_chain_of_the_hold_which_credits_more_than_the_approximation(int agents, double rho, int crossSelling, int threshold)
    {
        var settings = Settings with { OfferHoldMinIdleAgents = threshold };
        var rate = CrossSellCapacityModel.RoundUp(rho * agents / settings.AhtSeconds);
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, agents, crossSelling, settings);
        var exact = ExactChain(rate, agents, share, agents - threshold, settings);
        var held = CrossSellCapacityModel.HeldPitchServiceLevel(
            rate, agents, settings.AhtSeconds + share * settings.EligibleShare * settings.PitchSeconds, settings);
        var serviceOnly = ServiceOnly(rate, agents, settings);

        var predicted = new CrossSellCapacityModel().PredictedServiceLevel(rate, agents, crossSelling, settings);

        Assert.True(agents <= CrossSellCapacityModel.ExactChainMaxAgents);
        Assert.Equal(exact, predicted, 9);
        Assert.InRange(predicted, held, serviceOnly);
        Assert.True(predicted > held + 1e-4, $"the chain credits the hold more than the approximation: {predicted} against {held}");
    }

    [Fact]
    public void A_reserve_of_one_free_agent_keeps_the_approximation_even_in_a_small_queue()
    {
        // The chain assumes a live view of the queue; with a one-agent reserve a lagged snapshot is often wrong.
        var rate = CrossSellCapacityModel.RoundUp(0.8 * 12 / Settings.AhtSeconds);
        var share = CrossSellCapacityModel.CrossSellerCallShare(rate, 12, 6, Settings);
        var held = CrossSellCapacityModel.HeldPitchServiceLevel(
            rate, 12, Settings.AhtSeconds + share * Settings.EligibleShare * Settings.PitchSeconds, Settings);

        Assert.Equal(1, Settings.OfferHoldMinIdleAgents);
        Assert.Equal(held, new CrossSellCapacityModel().PredictedServiceLevel(rate, 12, 6, Settings), 12);
    }

    /// <summary>The exact Markov chain of the hold (an independent model): threshold L, the cross-sellers' share of the eligible calls.</summary>
    private static double ExactChain(double rate, int agents, double crossSellerShare, int threshold, QueueSettings s) =>
        CrossSellThresholdPolicy.Evaluate(
            new CrossSellScenario(
                new QueueLoad(rate, s.AhtSeconds), s.PitchSeconds, s.EligibleShare * crossSellerShare, agents,
                new StaffingTarget(0.8, s.TargetSeconds), s.PatienceSeconds),
            threshold).ServiceLevel;

    private static double ServiceOnly(double rate, int agents, QueueSettings s) =>
        ErlangA.Evaluate(new QueueLoad(rate, s.AhtSeconds), agents, s.TargetSeconds, s.PatienceSeconds).ServiceLevel;
}
