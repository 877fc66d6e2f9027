using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Balancing;

public sealed class OfferHoldTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Property]
    public bool An_offer_is_held_exactly_while_too_many_wait_or_too_few_others_are_free(byte waiting, byte otherIdle, byte maxWaiting, byte minIdle)
    {
        var settings = QueueSettings.Default with { OfferHoldMaxWaiting = maxWaiting % 5, OfferHoldMinIdleAgents = minIdle % 4 };
        var held = OfferHold.Reason(waiting % 8, otherIdle % 8, settings) is not null;
        return held == (waiting % 8 > maxWaiting % 5 || otherIdle % 8 < minIdle % 4);
    }

    [Property]
    public bool Switched_off_it_never_holds(byte waiting, byte otherIdle) =>
        OfferHold.Reason(waiting, otherIdle, QueueSettings.Default with { OfferHold = false }) is null
        && OfferHold.Reason(null, "a1", Now, QueueSettings.Default with { OfferHold = false }) is null;

    [Fact]
    public void The_defaults_hold_while_anyone_waits_or_fewer_than_three_others_are_free()
    {
        Assert.Null(OfferHold.Reason(0, 3, QueueSettings.Default));
        Assert.Contains("1 caller(s) waiting", OfferHold.Reason(1, 5, QueueSettings.Default), StringComparison.Ordinal);
        Assert.Contains("2 other agent(s) free (at least 3 needed)", OfferHold.Reason(0, 2, QueueSettings.Default), StringComparison.Ordinal);
        Assert.NotNull(OfferHold.Reason(0, 0, QueueSettings.Default));
    }

    private static IntervalCounts HalfHour(int withinTarget, int late, int abandoned) =>
        new(withinTarget + late + abandoned, withinTarget + late, abandoned, withinTarget + late, withinTarget, late * 40.0, 0, 0);

    [Property]
    public bool The_guard_holds_exactly_the_half_hours_below_the_target_plus_its_margin(byte within, byte late, byte abandoned, byte minCalls)
    {
        var settings = QueueSettings.Default with { OfferHoldGuardMinCalls = minCalls % 12 };
        var counts = HalfHour(within % 60, late % 20, abandoned % 10);
        var resolved = (within % 60) + (late % 20) + (abandoned % 10);
        var share = resolved == 0 ? 1.0 : (double)(within % 60) / resolved;
        var judged = settings.OfferHoldGuardMinCalls > 0 && resolved >= settings.OfferHoldGuardMinCalls;
        var held = OfferHold.GuardReason(counts, settings) is not null;

        // The other two rules passing, the full rule holds exactly when the guard does; and the guard never releases
        // an offer they hold.
        return held == (judged && share < 0.85 - 1e-12)
            && (OfferHold.Reason(0, 5, settings, counts) is not null) == held
            && OfferHold.Reason(1, 5, settings, counts) is not null;
    }

    [Property]
    public bool The_reserve_eases_by_one_agent_exactly_in_a_half_hour_far_above_the_days_worst_so_far(
        byte within, byte late, byte abandoned, byte reserveSeed, byte worstSeed, byte easeSeed, bool noWorstYet)
    {
        var settings = QueueSettings.Default with { OfferHoldMinIdleAgents = reserveSeed % 5, OfferHoldEaseAboveWorst = easeSeed % 11 / 10.0 };
        double? worst = noWorstYet ? null : worstSeed % 101 / 100.0;
        var counts = HalfHour(within % 60, late % 20, abandoned % 10);
        var resolved = (within % 60) + (late % 20) + (abandoned % 10);
        var share = resolved == 0 ? 0 : (double)(within % 60) / resolved;
        var eased = OfferHold.EasedReserve(settings, counts, worst);

        // One agent fewer (never below 1) exactly when the half-hour has enough calls and beats both the guard's level
        // and the day's worst by the ease; the ease at 1 is off.
        var expected = worst is { } w && settings.OfferHoldEaseAboveWorst < 1 && settings.OfferHoldMinIdleAgents > 1 && resolved >= 5
            && share >= Math.Max(0.85, w + settings.OfferHoldEaseAboveWorst) - 1e-9;
        return eased == (expected ? settings.OfferHoldMinIdleAgents - 1 : settings.OfferHoldMinIdleAgents)
            && eased >= Math.Min(1, settings.OfferHoldMinIdleAgents)
            && OfferHold.EasedReserve(settings with { OfferHold = false }, counts, worst) == settings.OfferHoldMinIdleAgents
            && OfferHold.EasedReserve(settings with { OfferHoldGuardMinCalls = 0 }, counts, worst) == settings.OfferHoldMinIdleAgents;
    }

    [Fact]
    public void The_days_worst_half_hour_counts_only_half_hours_with_twenty_resolved_calls()
    {
        Assert.Null(OfferHold.WorstHalfHour([]));
        Assert.Null(OfferHold.WorstHalfHour([HalfHour(0, 19, 0)])); // 19 calls, all late: too few to count
        Assert.Equal(0.5, OfferHold.WorstHalfHour([HalfHour(30, 0, 0), HalfHour(10, 5, 5), HalfHour(0, 10, 0)]));

        // A bad morning eases a good afternoon from 3 free agents to 2; a day without one does not.
        var goodHalfHour = HalfHour(19, 1, 0); // 95%
        Assert.Equal(2, OfferHold.EasedReserve(QueueSettings.Default, goodHalfHour, 0.6));
        Assert.Equal(3, OfferHold.EasedReserve(QueueSettings.Default, goodHalfHour, 0.7));
        Assert.Equal(3, OfferHold.EasedReserve(QueueSettings.Default, goodHalfHour, null));
    }

    [Fact]
    public void The_guard_counts_abandons_as_misses_waits_for_five_calls_and_can_be_switched_off()
    {
        var s = QueueSettings.Default; // 80% + 0.05: 85%, from 5 resolved calls
        Assert.Null(OfferHold.GuardReason(HalfHour(17, 3, 0), s)); // 85% exactly is not below
        Assert.Contains("16 of 20 calls", OfferHold.GuardReason(HalfHour(16, 4, 0), s), StringComparison.Ordinal);
        Assert.Contains("17 of 21 calls", OfferHold.GuardReason(HalfHour(17, 0, 4), s), StringComparison.Ordinal);
        Assert.Null(OfferHold.GuardReason(HalfHour(0, 4, 0), s)); // 4 calls: too few to judge
        Assert.NotNull(OfferHold.GuardReason(HalfHour(0, 5, 0), s));
        Assert.Null(OfferHold.GuardReason(HalfHour(0, 5, 0), s with { OfferHoldGuardMinCalls = 0 }));
        Assert.Null(OfferHold.GuardReason(HalfHour(0, 5, 0), s with { OfferHold = false }));
        Assert.Null(OfferHold.GuardReason(HalfHour(16, 4, 0), s with { OfferHoldGuardMargin = 0 })); // 80% is the target itself
        Assert.Null(OfferHold.Reason(0, 5, s)); // no counts given: no guard

        // Answers whose wait is unknown are not judged.
        Assert.Null(OfferHold.GuardReason(HalfHour(17, 3, 0) with { Answered = 40 }, s));
    }

    [Fact]
    public void The_guard_judges_the_clock_half_hour()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.Zero), OfferHold.GuardWindowStart(new DateTimeOffset(2026, 12, 1, 10, 47, 12, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), OfferHold.GuardWindowStart(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), OfferHold.GuardWindowStart(new DateTimeOffset(2026, 12, 1, 10, 29, 59, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void On_a_snapshot_the_answering_agent_is_not_counted_as_free_and_doubt_holds()
    {
        var oneFree = QueueSettings.Default with { OfferHoldMinIdleAgents = 1 };
        var snapshot = new QueueSnapshot("q", Now.AddSeconds(-5), 0, 0,
            [new AgentPresence("a1", AgentState.Available), new AgentPresence("a2", AgentState.OnCall), new AgentPresence("a3", AgentState.WrapUp)]);
        Assert.NotNull(OfferHold.Reason(snapshot, "a1", Now, oneFree)); // only a1 itself is free
        Assert.Null(OfferHold.Reason(snapshot, "a2", Now, oneFree)); // a1 is free for the next caller
        Assert.NotNull(OfferHold.Reason(snapshot, "a2", Now, QueueSettings.Default)); // the default wants 3 free

        Assert.Contains("No snapshot", OfferHold.Reason(null, "a1", Now, oneFree), StringComparison.Ordinal);
        var stale = snapshot with { ObservedAt = Now.AddSeconds(-(oneFree.StaleSnapshotSeconds + 1)) };
        Assert.Contains("old", OfferHold.Reason(stale, "a2", Now, oneFree), StringComparison.Ordinal);
    }
}
