using CallBalancer.Core.Simulation;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Simulation;

public sealed class HindsightOracleTests
{
    // Loaded enough that the static threshold's pitches cost some half-hours several points.
    private static SimulationDay Day(int seed) =>
        SimulationTestDays.Poisson(callsPerHour: 900, agents: 49, new LognormalServiceTimes(180, 1.2), seed, hours: 6);

    private const int TenOClock = 10 * 3600;

    [Fact]
    public void A_blocked_half_hour_gets_no_offer_and_the_day_before_its_lead_is_untouched()
    {
        var day = Day(seed: 4);
        var options = new SimulationOptions { Seed = 2 };
        var free = ContactCentreSimulator.Run(day, new StaticThresholdPolicy(1), options);
        var blocked = ContactCentreSimulator.Run(day, new StaticThresholdPolicy(1, new HashSet<int> { TenOClock }), options);

        Assert.True(free.HalfHours.Single(h => h.StartSeconds == TenOClock).CrossSellOffers > 0);
        Assert.Equal(0, blocked.HalfHours.Single(h => h.StartSeconds == TenOClock).CrossSellOffers);
        Assert.Equal(
            free.HalfHours.Where(h => h.StartSeconds < TenOClock - 1800),
            blocked.HalfHours.Where(h => h.StartSeconds < TenOClock - 1800));
        Assert.True(blocked.HalfHours.Single(h => h.StartSeconds == TenOClock + 1800).CrossSellOffers > 0);
        Assert.True(blocked.CrossSellCalls < free.CrossSellCalls);
    }

    [Property(MaxTest = 12)]
    public bool The_oracle_keeps_every_half_hour_above_its_floor_unless_it_ran_out_of_rounds(byte daySeed, byte runSeed, byte points)
    {
        var day = Day(daySeed % 20);
        var options = new SimulationOptions { Seed = 1 + (runSeed % 50) };
        var serviceOnly = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("service-only"), options);
        var floor = serviceOnly.WorstHalfHourServiceLevel - (points % 6) / 100.0;

        var oracle = HindsightOracle.Run(day, options, floor);

        var counted = oracle.Result.HalfHours.Where(h => h.OfferedCalls >= options.WorstHalfHourMinCalls).ToList();
        var kept = counted.All(h => h.ServiceLevel >= floor);
        var blockedGetNothing = oracle.Result.HalfHours.Where(h => oracle.BlockedHalfHours.Contains(h.StartSeconds)).All(h => h.CrossSellOffers == 0);
        var replay = ContactCentreSimulator.Run(day, new StaticThresholdPolicy(1, oracle.BlockedHalfHours.ToHashSet()), options);
        return (kept || oracle.Rounds == 12)
            && blockedGetNothing
            && oracle.Result.CrossSellCalls == replay.CrossSellCalls
            && oracle.BlockedHalfHours.All(start => start % 1800 == 0 && start < day.EndSeconds);
    }

    [Fact]
    public void Where_the_static_threshold_breaks_a_half_hour_the_oracle_blocks_it_and_still_sells_elsewhere()
    {
        var day = Day(seed: 4);
        var options = new SimulationOptions { Seed = 2 };
        var serviceOnly = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("service-only"), options);
        var free = ContactCentreSimulator.Run(day, new StaticThresholdPolicy(1), options);
        var floor = serviceOnly.WorstHalfHourServiceLevel - 0.03;
        Assert.True(free.WorstHalfHourServiceLevel < floor, $"the test day needs a broken half-hour: {free.WorstHalfHourServiceLevel} vs {floor}");

        var oracle = HindsightOracle.Run(day, options, floor);

        Assert.NotEmpty(oracle.BlockedHalfHours);
        Assert.True(oracle.Result.WorstHalfHourServiceLevel >= floor);
        Assert.InRange(oracle.Result.CrossSellCalls, 1, free.CrossSellCalls - 1);
        Assert.True(oracle.Rounds >= 2);
    }
}
