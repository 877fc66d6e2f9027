using CallBalancer.Core.Supervision;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Supervision;

public sealed class CrossSellWindowTests
{
    [Fact]
    public void A_day_window_holds_its_start_and_not_its_end()
    {
        var w = new CrossSellWindow([DayOfWeek.Monday], new TimeOnly(8, 0), new TimeOnly(18, 0));
        var monday = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        Assert.True(w.Contains(monday.AddHours(8)));
        Assert.False(w.Contains(monday.AddHours(18)));
        Assert.False(w.Contains(monday.AddDays(1).AddHours(9)));
    }

    [Fact]
    public void An_overnight_window_runs_into_the_next_day()
    {
        var w = new CrossSellWindow([DayOfWeek.Friday], new TimeOnly(20, 0), new TimeOnly(2, 0));
        var friday = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
        Assert.True(w.Contains(friday.AddHours(23)));
        Assert.True(w.Contains(friday.AddHours(25)));
        Assert.False(w.Contains(friday.AddHours(1)));
        Assert.False(w.Contains(friday.AddHours(27)));
    }

    [Property]
    public bool A_whole_day_window_00_00_to_24_00_is_saveable_and_holds_exactly_its_days(uint secondsIntoWeek)
    {
        // The API reads "24:00" as midnight, so 00:00 to 24:00 arrives as From == To == 00:00: it was refused as empty.
        var w = new CrossSellWindow([DayOfWeek.Saturday], TimeOnly.MinValue, TimeOnly.MinValue);
        var at = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).AddSeconds(secondsIntoWeek % (7 * 86400));
        return SupervisorSettingsRules.Validate(new SupervisorSettings { CrossSellWindows = [w] }).Count == 0
            && w.Contains(at) == (at.UtcDateTime.DayOfWeek == DayOfWeek.Saturday)
            && SupervisorSettingsRules.Validate(new SupervisorSettings { CrossSellWindows = [w with { From = new TimeOnly(9, 0), To = new TimeOnly(9, 0) }] })
                .ContainsKey("crossSellWindows[0].to");
    }

    [Property]
    public bool A_window_over_every_day_minus_its_complement_covers_every_instant(ushort minutesFrom, ushort minutesTo, uint secondsIntoWeek)
    {
        var from = new TimeOnly(0, 0).AddMinutes(minutesFrom % 1440);
        var to = new TimeOnly(0, 0).AddMinutes(minutesTo % 1440);
        if (from == to)
        {
            return true;
        }

        var all = Enum.GetValues<DayOfWeek>();
        var at = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).AddSeconds(secondsIntoWeek % (7 * 86400));
        var inside = new CrossSellWindow(all, from, to).Contains(at);
        var outside = new CrossSellWindow(all, to, from).Contains(at);
        return inside ^ outside;
    }
}
