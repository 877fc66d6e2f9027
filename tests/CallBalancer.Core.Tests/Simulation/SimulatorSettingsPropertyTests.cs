using CallBalancer.Core.Balancing;
using CallBalancer.Core.Simulation;
using CallBalancer.Core.Supervision;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Simulation;

/// <summary>
/// The simulator and our policy under any settings a supervisor could save (the settings API's rules), on small
/// generated days from quiet to overloaded (limits of each range drawn often): nothing throws, the day's accounting
/// holds (every call answered or abandoned, half-hours summing to the day, the worst half-hour as defined), offers stay
/// within the calls answered and sales within the offers, and a seed gives the same day twice. The policy's own rules
/// under generated inputs are <c>ModePolicyPropertyTests</c>.
/// </summary>
public sealed class SimulatorSettingsPropertyTests
{
    /// <summary>A value from the range, its two ends one time in five each, so the rules' limits are exercised.</summary>
    private static double Pick(Random r, double min, double max) => r.Next(5) switch
    {
        0 => min,
        1 => max,
        _ => min + (r.NextDouble() * (max - min)),
    };

    private static int PickInt(Random r, int min, int max) => (int)Math.Round(Pick(r, min, max));

    /// <summary>Supervisor settings drawn across the ranges <see cref="SupervisorSettingsRules"/> allows.</summary>
    internal static SupervisorSettings Settings(Random r)
    {
        var on = Pick(r, 0, 0.5);
        var target = Pick(r, 1, 120);
        var serviceLevel = Pick(r, 0.01, 0.99); // the rules allow any share above 0 and below 1 ...
        on = Math.Min(on, 0.999 - serviceLevel); // ... with the switch-on margin below 100%
        var reserve = PickInt(r, 0, 8);
        return new SupervisorSettings
        {
            ServiceLevelTarget = serviceLevel,
            TargetSeconds = target,
            EmergencyWaitSeconds = Math.Min(3600, target + Pick(r, 1, 300)),
            EmergencyQueueLength = PickInt(r, 1, 40),
            CrossSellOnMargin = on,
            CrossSellOffMargin = Pick(r, 0, on),
            MinDwellSeconds = Pick(r, 0, 1800),
            IdleReserve = PickInt(r, 0, 10),
            MaxServiceLevelDrop = Pick(r, 0, 1),
            MaxIntervalDrop = Pick(r, 0, 1),
            ForecastUpperWeight = Pick(r, 0, 5),
            OfferHold = r.Next(4) != 0,
            OfferHoldMaxWaiting = PickInt(r, 0, 5),
            OfferHoldMinIdleAgents = reserve,
            OfferHoldQuietMinIdleAgents = PickInt(r, 0, reserve),
            OfferHoldQuietMinAgents = PickInt(r, 1, 100),
            OfferHoldGuardMargin = Pick(r, 0, 1),
            OfferHoldGuardMinCalls = PickInt(r, 0, 50),
        };
    }

    [Property(MaxTest = 60)]
    public void Any_saveable_settings_give_a_consistent_day_and_the_same_one_twice(int seed)
    {
        var r = new Random(seed);
        var s = Settings(r);
        Assert.Empty(SupervisorSettingsRules.Validate(s)); // the generator draws only settings a supervisor could save

        var agents = PickInt(r, 2, 60);
        var callsPerHour = agents * 3600.0 / 180 * Pick(r, 0.2, 1.15); // 20% to 115% of the staff's capacity
        var day = SimulationTestDays.Poisson(callsPerHour, agents, new LognormalServiceTimes(180, 1.2), seed, hours: 2) with
        {
            Forecaster = () => new FlatForecaster(callsPerHour / 12),
        };
        var options = new SimulationOptions
        {
            Seed = seed,
            TargetServiceLevel = s.ServiceLevelTarget,
            TargetSeconds = s.TargetSeconds,
            PolicySettings = s.ApplyTo(QueueSettings.Default),
        };

        var a = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), options);
        var b = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), options);
        Assert.Equal(day.Counts.Sum(), a.OfferedCalls);
        Assert.Equal(a.OfferedCalls, a.AnsweredCalls + a.AbandonedCalls + a.InSystemAtEnd);
        Assert.Equal(0, a.InSystemAtEnd);
        Assert.Equal(a.OfferedCalls, a.HalfHours.Sum(h => h.OfferedCalls));
        Assert.InRange(a.AnsweredWithinTarget, 0, a.AnsweredCalls);
        Assert.InRange(a.CrossSellCalls, 0, a.AnsweredCalls);
        Assert.InRange(a.CrossSellAcceptances, 0, a.CrossSellCalls);
        Assert.True(a.ModeFlips >= 0);
        Assert.Equal(
            a.HalfHours.Where(h => h.OfferedCalls >= options.WorstHalfHourMinCalls).Select(h => h.ServiceLevel).DefaultIfEmpty(a.ServiceLevel).Min(),
            a.WorstHalfHourServiceLevel, 9);
        Assert.Equal(a with { HalfHours = [] }, b with { HalfHours = [] });
        Assert.Equal(a.HalfHours, b.HalfHours);
    }
}
