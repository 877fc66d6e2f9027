using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Balancing;

public sealed class DayRoomTests
{
    private const double Top = 0.83; // the default target (80%) plus the on-margin (3 points)

    private static IntervalCounts Day(int withinTarget, int late, int abandoned) =>
        new(withinTarget + late + abandoned, withinTarget + late, abandoned, withinTarget + late, withinTarget, late * 40.0, 0, 0);

    [Property]
    public bool The_goal_stays_between_the_days_worst_plus_the_setting_and_the_top_and_falls_as_the_day_runs_better(
        ushort within, ushort late, byte abandoned, byte worstSeed, byte aboveSeed, byte aheadSeed, bool noWorstYet)
    {
        var settings = QueueSettings.Default with { DayRoomAboveWorst = aboveSeed % 11 / 10.0 };
        double? worst = noWorstYet ? null : worstSeed % 101 / 100.0;
        var ahead = aheadSeed % 101 / 100.0;
        var day = Day(within % 2000, late % 300, abandoned % 50);
        var goal = DayRoom.Goal(Top, settings, day, worst, ahead);
        var better = DayRoom.Goal(Top, settings, day with { AnsweredWithinTarget = day.AnsweredWithinTarget + 50, Answered = day.Answered + 50, AnsweredWithKnownWait = day.AnsweredWithKnownWait + 50 }, worst, ahead);

        var applies = worst is { } w && settings.DayRoomAboveWorst < 1 && day.Resolved >= 100 && ahead >= w;
        return goal <= Top
            && (applies || goal == Top)
            && (!applies || goal >= Math.Min(Top, worst!.Value + settings.DayRoomAboveWorst) - 1e-12)
            && (!applies || better <= goal + 1e-12)
            && DayRoom.Goal(Top, settings with { DayRoomAboveWorst = 1 }, day, worst, ahead) == Top;
    }

    [Property]
    public bool The_planned_abandonment_cap_stretches_at_most_threefold_and_never_once_the_day_is_at_the_cap(
        ushort within, ushort late, byte abandoned, byte capSeed, byte worstSeed)
    {
        var settings = QueueSettings.Default with { MaxAbandonRate = (capSeed % 20 + 1) / 100.0 };
        var day = Day(within % 2000, late % 300, abandoned);
        double? worst = worstSeed % 101 / 100.0;
        var cap = DayRoom.AbandonCap(settings, day, worst, 1);
        var more = DayRoom.AbandonCap(settings, day with { Abandoned = day.Abandoned + 10 }, worst, 1);
        var dayAbandonment = day.Resolved == 0 ? 0 : (double)day.Abandoned / day.Resolved;
        var applies = day.Resolved >= 100;
        return cap >= settings.MaxAbandonRate && cap <= 3 * settings.MaxAbandonRate + 1e-12
            && (applies || cap == settings.MaxAbandonRate)
            && (dayAbandonment < settings.MaxAbandonRate || cap == settings.MaxAbandonRate)
            && (!applies || more <= cap + 1e-12)
            && DayRoom.AbandonCap(settings, day, null, 1) == settings.MaxAbandonRate;
    }

    [Fact]
    public void A_day_far_above_its_target_after_a_bad_half_hour_may_plan_down_to_the_worst_plus_ten_points()
    {
        var s = QueueSettings.Default; // target 80%, room from 83% of the day, full at 93%; 0.1 above the worst
        Assert.Equal(0.6, DayRoom.Goal(Top, s, Day(940, 40, 20), 0.5, 0.7), 12); // 94%: full room, the worst binds
        Assert.Equal(Top - 0.53 * 0.2, DayRoom.Goal(Top, s, Day(850, 130, 20), 0.5, 0.7), 12); // 85%: a fifth of the room
        Assert.Equal(Top, DayRoom.Goal(Top, s, Day(830, 150, 20), 0.5, 0.7), 12); // 83%: none yet

        // None without a bad half-hour, with too few calls, with a worse half-hour still ahead, or switched off.
        Assert.Equal(Top, DayRoom.Goal(Top, s, Day(940, 40, 20), null, 0.7));
        Assert.Equal(Top, DayRoom.Goal(Top, s, Day(94, 4, 1), 0.5, 0.7));
        Assert.Equal(Top, DayRoom.Goal(Top, s, Day(940, 40, 20), 0.5, 0.45));
        Assert.Equal(Top, DayRoom.Goal(Top, s with { DayRoomAboveWorst = 1 }, Day(940, 40, 20), 0.5, 0.7));

        // The cap (5%) triples at a day's abandonment of half of it or less, and comes back to 5% at 5%.
        Assert.Equal(0.15, DayRoom.AbandonCap(s, Day(970, 20, 10), 0.5, 0.7), 12); // 1%
        Assert.Equal(0.09, DayRoom.AbandonCap(s, Day(940, 20, 40), 0.5, 0.7), 12); // 4%: 40% of the stretch
        Assert.Equal(0.05, DayRoom.AbandonCap(s, Day(930, 20, 50), 0.5, 0.7), 12); // 5%
    }
}
