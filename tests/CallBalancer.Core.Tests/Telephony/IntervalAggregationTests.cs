using CallBalancer.Core.Telephony;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Telephony;

public sealed class IntervalAggregationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly IntervalAggregation _agg = new(TimeSpan.FromMinutes(15), answerTargetSeconds: 20);

    private static TelephonyEvent Call(TelephonyEventKind kind, DateTimeOffset at, string call = "c1") =>
        new($"{call}-{kind}", kind, at, "cards") { CallId = call };

    [Theory]
    [InlineData("2026-11-28T10:00:00Z", "2026-11-28T10:00:00Z")]
    [InlineData("2026-11-28T10:14:59.999Z", "2026-11-28T10:00:00Z")]
    [InlineData("2026-11-28T10:15:00Z", "2026-11-28T10:15:00Z")]
    [InlineData("2026-11-28T11:29:00+01:00", "2026-11-28T10:15:00Z")]
    [InlineData("2026-11-28T23:59:59Z", "2026-11-28T23:45:00Z")]
    public void Interval_start_is_the_utc_quarter_hour(string at, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            _agg.IntervalStart(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(96, _agg.IntervalsPerDay);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(25 * 60)]
    public void Interval_lengths_that_do_not_divide_a_day_are_refused(int minutes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntervalAggregation(TimeSpan.FromMinutes(minutes), 20));
    }

    [Fact]
    public void An_answer_is_judged_against_the_target_from_its_own_wait_or_the_known_arrival()
    {
        var answered = Call(TelephonyEventKind.CallAnswered, T0.AddSeconds(30));
        Assert.Equal(new IntervalCounts(0, 1, 0, 1, 1, 12, 0, 0), _agg.Contribution(answered with { WaitSeconds = 12 }));
        Assert.Equal(new IntervalCounts(0, 1, 0, 1, 0, 30, 0, 0), _agg.Contribution(answered, new CallProgress(T0, null, null, null)));
        Assert.Equal(new IntervalCounts(0, 1, 0, 1, 1, 20, 0, 0), _agg.Contribution(answered with { WaitSeconds = 20 }));

        // Unknown wait: counted as answered, not judged.
        Assert.Equal(new IntervalCounts(0, 1, 0, 0, 0, 0, 0, 0), _agg.Contribution(answered));
    }

    [Fact]
    public void An_end_adds_handle_time_only_when_the_answer_time_is_known()
    {
        var ended = Call(TelephonyEventKind.CallEnded, T0.AddSeconds(300));
        Assert.Equal(new IntervalCounts(0, 0, 0, 0, 0, 0, 240, 1), _agg.Contribution(ended, new CallProgress(T0, T0.AddSeconds(60), null, null)));
        Assert.Equal(new IntervalCounts(0, 0, 0, 0, 0, 0, 185.5, 1), _agg.Contribution(ended with { HandleSeconds = 185.5 }));
        Assert.True(_agg.Contribution(ended).IsZero);
    }

    [Fact]
    public void Arrivals_and_abandonments_count_one_each_and_agent_events_nothing()
    {
        Assert.Equal(1, _agg.Contribution(Call(TelephonyEventKind.CallArrived, T0)).Arrivals);
        Assert.Equal(1, _agg.Contribution(Call(TelephonyEventKind.CallAbandoned, T0)).Abandoned);
        Assert.True(_agg.Contribution(new TelephonyEvent("a", TelephonyEventKind.AgentState, T0, "cards") { AgentId = "a1", AgentState = "available" }).IsZero);
    }

    [Property(MaxTest = 200)]
    public Property Call_progress_is_the_same_whatever_the_order_and_repetition_of_events(int seed)
    {
        var events = new[]
        {
            Call(TelephonyEventKind.CallArrived, T0),
            Call(TelephonyEventKind.CallAnswered, T0.AddSeconds(15)),
            Call(TelephonyEventKind.CallEnded, T0.AddSeconds(200)),
        };
        var random = new Random(seed);

        // A delivery: every event at least once, some twice, in a random order.
        var delivery = events.Concat(events.Where(_ => random.Next(2) == 0)).OrderBy(_ => random.Next()).ToList();
        var progress = CallProgress.Unknown;
        var stages = new List<CallStage>();
        foreach (var e in delivery)
        {
            progress = progress.Apply(e);
            stages.Add(progress.Stage);
        }

        var inOrder = events.Aggregate(CallProgress.Unknown, (p, e) => p.Apply(e));
        var monotone = stages.Zip(stages.Skip(1)).All(p => p.Second >= p.First);
        return (progress == inOrder && progress.Stage == CallStage.Ended && monotone).Label($"order: {string.Join(",", delivery.Select(e => e.Kind))}");
    }

    [Fact]
    public void An_answer_after_the_end_does_not_move_the_call_back()
    {
        var p = CallProgress.Unknown.Apply(Call(TelephonyEventKind.CallEnded, T0.AddSeconds(200)));
        Assert.Equal(CallStage.Ended, p.Stage);
        p = p.Apply(Call(TelephonyEventKind.CallAnswered, T0.AddSeconds(15)));
        Assert.Equal(CallStage.Ended, p.Stage);
        Assert.Equal(T0.AddSeconds(15), p.AnsweredAt);
    }

    [Property(MaxTest = 100)]
    public Property Counts_add_up_independently_of_grouping(PositiveInt arrivals, PositiveInt answered)
    {
        var a = IntervalCounts.Zero with { Arrivals = arrivals.Get, HandleTimeSeconds = 1.5 };
        var b = IntervalCounts.Zero with { Answered = answered.Get, AnsweredWithinTarget = 1 };
        var c = IntervalCounts.Zero with { Abandoned = 2 };
        return ((a + b) + c == a + (b + c) && a + b == b + a).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property The_answering_agent_is_the_earliest_answers_whatever_the_order_and_repetition(int seed)
    {
        // A transfer-like call: answered by one agent, then again later by another.
        var first = Call(TelephonyEventKind.CallAnswered, T0.AddSeconds(10)) with { EventId = "b1", AgentId = "alice" };
        var second = Call(TelephonyEventKind.CallAnswered, T0.AddSeconds(90)) with { EventId = "b2", AgentId = "bob" };
        var events = new[] { Call(TelephonyEventKind.CallArrived, T0), first, second, Call(TelephonyEventKind.CallEnded, T0.AddSeconds(300)) };
        var random = new Random(seed);
        var delivery = events.Concat(events.Where(_ => random.Next(2) == 0)).OrderBy(_ => random.Next()).ToList();
        var progress = delivery.Aggregate(CallProgress.Unknown, (p, e) => p.Apply(e));
        return (progress.AnsweredAt == T0.AddSeconds(10) && progress.AnsweredBy == "alice")
            .Label($"order: {string.Join(",", delivery.Select(e => e.EventId))} gave {progress.AnsweredBy}");
    }

    [Fact]
    public void An_answer_at_the_same_instant_fills_in_an_unknown_agent_but_does_not_replace_a_known_one()
    {
        var anonymous = Call(TelephonyEventKind.CallAnswered, T0) with { AgentId = null };
        var p = CallProgress.Unknown.Apply(anonymous).Apply(anonymous with { AgentId = "alice" });
        Assert.Equal("alice", p.AnsweredBy);
        Assert.Equal("alice", p.Apply(anonymous with { AgentId = "bob" }).AnsweredBy);
    }

    [Fact]
    public void An_end_is_handled_by_the_agent_it_names_else_by_whoever_answered()
    {
        var answered = new CallProgress(T0, T0.AddSeconds(5), null, null) { AnsweredBy = "alice" };
        var ended = Call(TelephonyEventKind.CallEnded, T0.AddSeconds(300));
        Assert.Equal("bob", _agg.HandlingAgent(ended with { AgentId = "bob" }, answered));
        Assert.Equal("alice", _agg.HandlingAgent(ended, answered));
        Assert.Null(_agg.HandlingAgent(ended, CallProgress.Unknown));
        Assert.Null(_agg.HandlingAgent(ended));

        // Only ends credit a handled call: an answer names its agent, but handles nothing yet.
        Assert.Null(_agg.HandlingAgent(Call(TelephonyEventKind.CallAnswered, T0.AddSeconds(5)) with { AgentId = "alice" }, answered));
    }
}
