using CallBalancer.Core.Balancing;
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
