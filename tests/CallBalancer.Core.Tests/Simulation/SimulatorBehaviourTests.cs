using CallBalancer.Core.Balancing;
using CallBalancer.Core.Simulation;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Simulation;

public sealed class SimulatorBehaviourTests
{
    private static SimulationDay Day(int seed = 3, double callsPerHour = 900, int agents = 50) =>
        SimulationTestDays.Poisson(callsPerHour, agents, new LognormalServiceTimes(180, 1.2), seed, hours: 6) with
        {
            Forecaster = () => new FlatForecaster(callsPerHour / 12),
        };

    /// <summary>A run's day figures without its half-hours (a list compares by reference in the record's equality).</summary>
    private static SimulationResult Figures(SimulationResult r) => r with { HalfHours = [] };

    [Theory]
    [InlineData("service-only")]
    [InlineData("static-threshold")]
    [InlineData("forecast")]
    public void The_same_seed_gives_the_same_day(string policy)
    {
        var a = ContactCentreSimulator.Run(Day(), SimulatedPolicies.Create(policy), new SimulationOptions { Seed = 7 });
        var b = ContactCentreSimulator.Run(Day(), SimulatedPolicies.Create(policy), new SimulationOptions { Seed = 7 });
        var c = ContactCentreSimulator.Run(Day(), SimulatedPolicies.Create(policy), new SimulationOptions { Seed = 8 });

        Assert.Equal(Figures(a), Figures(b));
        Assert.Equal(a.HalfHours, b.HalfHours);
        Assert.NotEqual(a.AnsweredWithinTarget, c.AnsweredWithinTarget);
    }

    [Theory]
    [InlineData("service-only", true)]
    [InlineData("always", false)]
    [InlineData("forecast", false)]
    [InlineData("static-threshold", true)]
    public void Every_offered_call_is_answered_abandoned_or_still_waiting(string policy, bool drain)
    {
        // Overloaded on purpose so that calls abandon and some are still waiting when the day stops.
        var day = Day(callsPerHour: 1100, agents: 50);
        var r = ContactCentreSimulator.Run(day, SimulatedPolicies.Create(policy), new SimulationOptions { Drain = drain });

        Assert.Equal(day.Counts.Sum(), r.OfferedCalls);
        Assert.Equal(r.OfferedCalls, r.AnsweredCalls + r.AbandonedCalls + r.InSystemAtEnd);
        Assert.True(r.AbandonedCalls > 0);
        Assert.Equal(r.OfferedCalls, r.HalfHours.Sum(h => h.OfferedCalls));
        if (drain)
        {
            Assert.Equal(0, r.InSystemAtEnd);
        }
    }

    [Fact]
    public void Always_offers_to_about_the_eligible_share_and_sells_at_the_acceptance_rate()
    {
        var r = ContactCentreSimulator.Run(Day(callsPerHour: 600), SimulatedPolicies.Create("always"), new SimulationOptions());

        Assert.InRange((double)r.CrossSellCalls / r.AnsweredCalls, 0.77, 0.83);
        Assert.InRange((double)r.CrossSellAcceptances / r.CrossSellCalls, 0.12, 0.18);
        Assert.Equal(0, r.ModeFlips);
    }

    [Fact]
    public void Service_only_makes_no_offer_and_cross_selling_costs_service_level()
    {
        var so = ContactCentreSimulator.Run(Day(), SimulatedPolicies.Create("service-only"), new SimulationOptions());
        var always = ContactCentreSimulator.Run(Day(), SimulatedPolicies.Create("always"), new SimulationOptions());

        Assert.Equal(0, so.CrossSellCalls);
        Assert.Equal(0, so.ModeFlips);
        Assert.True(always.ServiceLevel < so.ServiceLevel);
        Assert.InRange(so.AgentHours, 6 * 50 - 0.01, 6 * 50 + 0.01);
    }

    [Fact]
    public void The_forecast_policy_protects_the_target_and_still_sells()
    {
        var so = ContactCentreSimulator.Run(Day(), SimulatedPolicies.Create("service-only"), new SimulationOptions());
        var fc = ContactCentreSimulator.Run(Day(), SimulatedPolicies.Create("forecast"), new SimulationOptions());

        Assert.True(so.ServiceLevel > 0.82, $"the test day should have slack, got {so.ServiceLevel:P1}");
        Assert.True(fc.ServiceLevel >= 0.8, $"forecast policy service level {fc.ServiceLevel:P1}");
        Assert.True(fc.CrossSellCalls > 0);
        Assert.True(fc.FlipsPerAgentHour <= 2, $"{fc.FlipsPerAgentHour:0.00} flips per agent-hour");
    }

    [Fact]
    public void The_forecast_policy_counts_the_agent_changes_each_rule_made_and_every_flip_has_one()
    {
        // A busy day (about 94% of the agents' time without cross-sell): queues pass the emergency limits now and then,
        // so the emergency rules change agents too.
        var policy = Assert.IsType<ForecastModePolicy>(SimulatedPolicies.Create("forecast"));
        var r = ContactCentreSimulator.Run(Day(callsPerHour: 940, agents: 50), policy, new SimulationOptions());

        Assert.True(r.ModeFlips > 0);
        Assert.True(policy.RuleChanges.Values.Sum() >= r.ModeFlips, $"{policy.RuleChanges.Values.Sum()} changes for {r.ModeFlips} flips");
        Assert.True(policy.RuleChanges.GetValueOrDefault("emergency-wait") + policy.RuleChanges.GetValueOrDefault("emergency-queue-length") > 0);
        Assert.All(policy.RuleChanges.Keys, rule => Assert.True(policy.RuleCounts.ContainsKey(rule)));
    }

    [Fact]
    public void The_offer_hold_withholds_pitches_of_our_policy_only_and_can_be_switched_off()
    {
        // A busy day (about 94% of the agents' time without cross-sell), where queues form now and then.
        var day = Day(callsPerHour: 940, agents: 50);
        var held = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), new SimulationOptions());
        var off = new SimulationOptions { PolicySettings = QueueSettings.Default with { OfferHold = false } };
        var plain = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), off);

        Assert.True(held.HeldOffers > 0, "queues formed while agents cross-sold, so some offers were held");
        Assert.Equal(0, plain.HeldOffers);
        Assert.True(held.ServiceLevel >= plain.ServiceLevel, $"hold {held.ServiceLevel:P2}, none {plain.ServiceLevel:P2}");
        foreach (var policy in new[] { "always", "static-threshold" })
        {
            Assert.Equal(0, ContactCentreSimulator.Run(day, SimulatedPolicies.Create(policy), new SimulationOptions()).HeldOffers);
        }
    }

    [Fact]
    public void In_a_quiet_large_queue_the_hold_applies_the_decisions_lower_reserve_and_a_small_queue_keeps_its_own()
    {
        // 50 agents at about 60% of their time without cross-sell: the forecast lets everyone cross-sell.
        var day = Day(callsPerHour: 600, agents: 50);
        var fullReserve = new SimulationOptions
        {
            PolicySettings = QueueSettings.Default with { OfferHoldQuietMinIdleAgents = QueueSettings.Default.OfferHoldMinIdleAgents },
        };
        var quiet = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), new SimulationOptions());
        var full = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), fullReserve);
        Assert.True(full.HeldOffers > 0, "with 3 free agents required some offers are held even in a quiet queue");
        Assert.True(quiet.HeldOffers < full.HeldOffers, $"held {quiet.HeldOffers} with the quiet rule, {full.HeldOffers} without");
        Assert.True(quiet.CrossSellCalls > full.CrossSellCalls);

        // 20 agents at the same share of their time: below OfferHoldQuietMinAgents, the rule changes nothing.
        var small = Day(callsPerHour: 240, agents: 20);
        Assert.Equal(
            Figures(ContactCentreSimulator.Run(small, SimulatedPolicies.Create("forecast"), fullReserve)),
            Figures(ContactCentreSimulator.Run(small, SimulatedPolicies.Create("forecast"), new SimulationOptions())));
    }

    [Fact]
    public void The_service_level_guard_stops_the_pitches_of_half_hours_running_below_the_target_and_leaves_quiet_ones_alone()
    {
        // A day just above what the planned agents serve within the target: half-hours run below 85%, and without the
        // guard cross-sellers keep pitching whenever three agents happen to be free.
        var noGuard = new SimulationOptions { PolicySettings = QueueSettings.Default with { OfferHoldGuardMinCalls = 0 } };
        int guardedOffers = 0, plainOffers = 0, guardedHeld = 0, plainHeld = 0;
        double guardedWorst = 0, plainWorst = 0;
        for (var seed = 3; seed < 9; seed++)
        {
            var day = Day(seed, callsPerHour: 940, agents: 50);
            var guarded = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), new SimulationOptions { Seed = seed });
            var plain = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), noGuard with { Seed = seed });
            guardedOffers += guarded.CrossSellCalls;
            plainOffers += plain.CrossSellCalls;
            guardedHeld += guarded.HeldOffers;
            plainHeld += plain.HeldOffers;
            guardedWorst += guarded.WorstHalfHourServiceLevel;
            plainWorst += plain.WorstHalfHourServiceLevel;
        }

        Assert.True(plainOffers > 0, "without the guard the policy pitches on this day");
        Assert.True(guardedOffers < plainOffers && guardedHeld > plainHeld, $"offers {guardedOffers} with the guard, {plainOffers} without; held {guardedHeld}, {plainHeld}");
        Assert.True(guardedWorst >= plainWorst, $"mean worst half-hour {guardedWorst / 6:P2} with the guard, {plainWorst / 6:P2} without");

        // Over-staffed, nobody waits 20 s: the guard never has a half-hour to hold, so the day is the same to the call.
        var quiet = Day(callsPerHour: 400, agents: 50);
        Assert.Equal(
            Figures(ContactCentreSimulator.Run(quiet, SimulatedPolicies.Create("forecast"), noGuard)),
            Figures(ContactCentreSimulator.Run(quiet, SimulatedPolicies.Create("forecast"), new SimulationOptions())));
    }

    [Fact]
    public void The_probe_lengthens_one_call_reaching_the_callers_behind_it_and_makes_no_offer()
    {
        // A busy day (08:00 to 14:00): the one call 60 s longer at 10:00 delays the callers queued behind it.
        var busy = Day(callsPerHour: 960, agents: 50);
        var plain = ContactCentreSimulator.Run(busy, SimulatedPolicies.Create("service-only"), new SimulationOptions());
        var probed = ContactCentreSimulator.Run(busy, SimulatedPolicies.Create("service-only"), new SimulationOptions { ProbeAtSeconds = 10 * 3600 });
        Assert.Equal(plain.OfferedCalls, probed.OfferedCalls);
        Assert.Equal(0, probed.CrossSellCalls + probed.HeldOffers);
        Assert.NotEqual(Figures(plain), Figures(probed));

        // A probe after the last call changes nothing.
        var late = ContactCentreSimulator.Run(busy, SimulatedPolicies.Create("service-only"), new SimulationOptions { ProbeAtSeconds = 86_400 });
        Assert.Equal(Figures(plain), Figures(late));
    }

    [Fact]
    public void Judged_at_the_pitch_the_hold_stops_the_pitches_that_would_meet_a_queue_formed_during_the_call()
    {
        // The same busy days and seeds; the desktop asks for offers once the request is resolved (the default) or at
        // the answer, a whole handle time before the pitch. Only the moment of the hold differs. One day is noise
        // (a pitch moved changes who answers what), so the comparison is over eight.
        double slPitch = 0, slAnswer = 0, worstPitch = 0, worstAnswer = 0;
        for (var seed = 3; seed < 11; seed++)
        {
            var day = Day(seed, callsPerHour: 940, agents: 50);
            var atPitch = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), new SimulationOptions { Seed = seed });
            var atAnswer = ContactCentreSimulator.Run(
                day, SimulatedPolicies.Create("forecast"), new SimulationOptions { Seed = seed, OfferAtResolution = false });
            Assert.True(atPitch.HeldOffers > 0 && atAnswer.HeldOffers > 0);
            slPitch += atPitch.ServiceLevel;
            slAnswer += atAnswer.ServiceLevel;
            worstPitch += atPitch.WorstHalfHourServiceLevel;
            worstAnswer += atAnswer.WorstHalfHourServiceLevel;
        }

        Assert.True(slPitch > slAnswer, $"mean service level at the pitch {slPitch / 8:P2}, at the answer {slAnswer / 8:P2}");
        Assert.True(worstPitch > worstAnswer, $"mean worst half-hour at the pitch {worstPitch / 8:P2}, at the answer {worstAnswer / 8:P2}");
    }

    [Property(MaxTest = 100)]
    public void The_default_plan_does_not_depend_on_how_long_the_data_intervals_are(int seed)
    {
        // The same day's expected traffic, 08:00-20:00, counted per hour, per half-hour, per 5 and per 7.5 minutes
        // (7.5-minute intervals do not all start on a half-hour, but each half-hour still holds four of them). Before
        // an interval was spread over the slots it covers, an hourly count staffed only the half-hour it started in.
        var random = new Random(seed);
        var perHour = Enumerable.Range(0, 12).Select(_ => random.Next(5) == 0 ? 0.0 : random.Next(1, 2000)).ToArray();
        StaffingPlan PlanAt(int intervalSeconds)
        {
            var n = 12 * 3600 / intervalSeconds;
            var offsets = Enumerable.Range(0, n).Select(i => 8 * 3600 + (i * intervalSeconds)).ToList();
            var expected = offsets.Select(o => perHour[(o - (8 * 3600)) / 3600] * intervalSeconds / 3600).ToList();
            return StaffingPlan.FromForecast(expected, offsets, intervalSeconds, 180, 0.8, 20);
        }

        var hourly = PlanAt(3600);
        Assert.Equal(PlanAt(1800).AgentsPerSlot, hourly.AgentsPerSlot);
        Assert.Equal(PlanAt(300).AgentsPerSlot, hourly.AgentsPerSlot);
        Assert.Equal(PlanAt(450).AgentsPerSlot, hourly.AgentsPerSlot);
        for (var h = 0; h < 12; h++)
        {
            if (perHour[h] > 0)
            {
                Assert.True(hourly.AgentsPerSlot[16 + (2 * h)] > 0 && hourly.AgentsPerSlot[17 + (2 * h)] > 0, $"hour {8 + h} has calls but a half-hour without agents");
            }
        }
    }

    [Fact]
    public void The_default_plan_is_flat_per_two_hour_block_and_covers_each_half_hour()
    {
        var offsets = Enumerable.Range(0, 14 * 12).Select(i => 7 * 3600 + 300 * i).ToList();
        var expected = offsets.Select(o => 50 + 40 * Math.Sin(o / 7200.0)).ToList();

        var plan = StaffingPlan.FromForecast(expected, offsets, 300, 180, 0.8, 20);

        for (var block = 4; block < 11; block++)
        {
            var slots = Enumerable.Range(block * 4, 4).Select(s => plan.AgentsPerSlot[s]).Where(a => a > 0).Distinct().ToList();
            Assert.True(slots.Count <= 1, $"block {block} is not flat: {string.Join(",", slots)}");
        }

        for (var s = 14; s < 42; s++)
        {
            var calls = offsets.Select((o, i) => (o, i)).Where(x => x.o / 1800 == s).Sum(x => expected[x.i]);
            if (calls > 0)
            {
                var load = Core.Queueing.QueueLoad.FromCallsPerHour(calls * 2, 180);
                Assert.True(Core.Queueing.ErlangC.ServiceLevel(load, plan.AgentsPerSlot[s], 20) >= 0.8);
            }
        }

        Assert.Equal(0, plan.AgentsAt(3 * 3600));
    }

    [Fact]
    public void Service_time_distributions_have_the_mean_and_spread_asked()
    {
        var random = new Random(5);
        var lognormal = new LognormalServiceTimes(180, 1.2);
        var samples = Enumerable.Range(0, 200_000).Select(_ => lognormal.Sample(random)).ToList();
        var mean = samples.Average();
        var sd = Math.Sqrt(samples.Average(x => (x - mean) * (x - mean)));
        Assert.InRange(mean, 176, 184);
        Assert.InRange(sd / mean, 1.1, 1.3);

        var empirical = new EmpiricalServiceTimes([10, 20, 30, 0, -5]);
        Assert.Equal(3, empirical.Count);
        Assert.Equal(20, empirical.Mean, 9);
        Assert.Contains(empirical.Sample(random), new double[] { 10, 20, 30 });
    }
}
