using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Supervision;

public sealed class SupervisorSettingsRulesTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(SupervisorSettingsRules.Validate(new SupervisorSettings()));

    [Fact]
    public void Each_broken_rule_names_its_field()
    {
        var errors = SupervisorSettingsRules.Validate(new SupervisorSettings
        {
            ServiceLevelTarget = 1.5,
            TargetSeconds = 0,
            MaxAbandonRate = -0.1,
            EmergencyQueueLength = 0,
            CrossSellOnMargin = 0.01,
            CrossSellOffMargin = 0.02,
            ForecastIntervalMinutes = 7,
            IdleReserve = -1,
            MaxServiceLevelDrop = -0.01,
            MaxIntervalDrop = 1.5,
            ForecastUpperWeight = double.NaN,
            OfferHoldQuietMinIdleAgents = -1,
            OfferHoldQuietMinAgents = 0,
            OfferHoldGuardMargin = 1.2,
            OfferHoldGuardMinCalls = -1,
            OfferHoldEaseAboveWorst = 1.5,
            DayRoomAboveWorst = -0.1,
            CrossSellWindows = [new CrossSellWindow([], new TimeOnly(8, 0), new TimeOnly(8, 0))],
        });
        Assert.Equal(
            ["crossSellOffMargin", "crossSellWindows[0].days", "crossSellWindows[0].to", "dayRoomAboveWorst", "emergencyQueueLength", "forecastIntervalMinutes", "forecastUpperWeight", "idleReserve", "maxAbandonRate", "maxIntervalDrop", "maxServiceLevelDrop", "offerHoldEaseAboveWorst", "offerHoldGuardMargin", "offerHoldGuardMinCalls", "offerHoldQuietMinAgents", "offerHoldQuietMinIdleAgents", "serviceLevelTarget", "targetSeconds"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Must be between 1 and 100000 calls.", Assert.Single(errors["emergencyQueueLength"]));
        Assert.Equal("Must be between 0 and 1000 agents.", Assert.Single(errors["idleReserve"]));
    }

    [Fact]
    public void The_emergency_wait_must_come_after_the_service_level_deadline()
    {
        var errors = SupervisorSettingsRules.Validate(new SupervisorSettings { TargetSeconds = 30, EmergencyWaitSeconds = 30 });
        Assert.Contains("targetSeconds", errors["emergencyWaitSeconds"][0], StringComparison.Ordinal);
        Assert.Empty(SupervisorSettingsRules.Validate(new SupervisorSettings { TargetSeconds = 30, EmergencyWaitSeconds = 31 }));
    }

    [Property]
    public bool A_service_level_target_is_valid_exactly_when_it_is_a_share_above_zero_and_below_one(double target)
    {
        var valid = !SupervisorSettingsRules.Validate(new SupervisorSettings { ServiceLevelTarget = target }).ContainsKey("serviceLevelTarget");
        return valid == (target > 0 && target < 1);
    }

    [Property]
    public bool Hysteresis_margins_are_valid_only_with_off_at_most_on(byte on, byte off)
    {
        var settings = new SupervisorSettings { CrossSellOnMargin = on / 1000.0, CrossSellOffMargin = off / 1000.0 };
        var errors = SupervisorSettingsRules.Validate(settings);
        return errors.ContainsKey("crossSellOffMargin") == (off > on);
    }

    [Property]
    public bool The_switch_on_level_is_valid_only_below_100_percent(byte target, byte on)
    {
        // Target 0.01 to 0.99, margin 0 to 0.5: refused exactly when together they reach 1, where nobody would cross-sell.
        var settings = new SupervisorSettings { ServiceLevelTarget = 0.01 + (target % 99) / 100.0, CrossSellOnMargin = (on % 51) / 100.0, CrossSellOffMargin = 0 };
        return SupervisorSettingsRules.Validate(settings).ContainsKey("crossSellOnMargin")
            == (settings.ServiceLevelTarget + settings.CrossSellOnMargin >= 1);
    }

    [Theory]
    [InlineData(3, 2, true)]
    [InlineData(3, 3, true)] // equal: the quiet-queue easing off
    [InlineData(2, 3, false)]
    public void The_quiet_queue_reserve_may_not_exceed_the_reserve_it_eases(int reserve, int quiet, bool valid)
    {
        var errors = SupervisorSettingsRules.Validate(new SupervisorSettings { OfferHoldMinIdleAgents = reserve, OfferHoldQuietMinIdleAgents = quiet });
        Assert.Equal(valid, !errors.ContainsKey("offerHoldQuietMinIdleAgents"));
    }

    [Fact]
    public void Applying_settings_replaces_what_a_supervisor_sets_and_keeps_the_rest()
    {
        var defaults = QueueSettings.Default with { StaleSnapshotSeconds = 77 };
        var applied = new SupervisorSettings { ServiceLevelTarget = 0.9, TargetSeconds = 15, IdleReserve = 4, MinDwellSeconds = 60, EmergencyWaitSeconds = 45, EmergencyQueueLength = 3, MaxAbandonRate = 0.03 }.ApplyTo(defaults);
        Assert.Equal((0.9, 15.0, 4, 60.0, 45.0, 3, 77.0, 0.03),
            (applied.ServiceLevelTarget, applied.TargetSeconds, applied.IdleReserve, applied.MinDwellSeconds, applied.EmergencyWaitSeconds, applied.EmergencyQueueLength, applied.StaleSnapshotSeconds, applied.MaxAbandonRate));
        Assert.Equal(0.02, SupervisorSettings.From(defaults with { MaxAbandonRate = 0.02 }).MaxAbandonRate);
    }

    [Fact]
    public void The_volume_against_safety_settings_reach_the_policy_and_round_trip_the_defaults()
    {
        var applied = new SupervisorSettings { MaxServiceLevelDrop = 0.05, MaxIntervalDrop = 0.08, ForecastUpperWeight = 0.25 }.ApplyTo(QueueSettings.Default);
        Assert.Equal((0.05, 0.08, 0.25), (applied.MaxServiceLevelDrop, applied.MaxIntervalDrop, applied.ForecastUpperWeight));

        // A queue on defaults shows the policy's own defaults, and applying them changes nothing.
        var defaults = QueueSettings.Default with { MaxIntervalDrop = 0.06, ForecastUpperWeight = 1.1 };
        Assert.Equal(defaults, SupervisorSettings.From(defaults).ApplyTo(defaults));
    }
}
