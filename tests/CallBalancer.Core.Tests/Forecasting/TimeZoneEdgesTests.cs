using CallBalancer.Core.Balancing;
using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Tests.Forecasting;

/// <summary>The live forecast across a DST fall-back and spring-forward, and time zones whose offsets do not fit the interval grid.</summary>
public sealed class TimeZoneEdgesTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static ArrivalForecaster ThreeWeeksFlat() => Flat(new DateOnly(2024, 10, 5), new DateOnly(2024, 10, 27));

    /// <summary>A forecaster fed 20 calls in every 15-minute slot of the days from <paramref name="first"/> to the day before <paramref name="until"/>.</summary>
    private static ArrivalForecaster Flat(DateOnly first, DateOnly until)
    {
        var forecaster = new ArrivalForecaster(TimeSpan.FromMinutes(15));
        for (var d = first; d < until; d = d.AddDays(1))
        {
            for (var j = 0; j < 96; j++)
            {
                forecaster.Observe(d.ToDateTime(TimeOnly.MinValue).AddMinutes(15 * j), 20);
            }
        }

        return forecaster;
    }

    [Theory]
    [InlineData(0, 20)] // 02:20 CEST, the first pass of the repeated hour
    [InlineData(1, 20)] // 02:20 CET, the second pass
    [InlineData(0, 50)] // 02:50 CEST
    [InlineData(23, 50)] // 01:50 CEST the evening before: the repeated hour is ahead
    public void In_a_fall_back_the_first_interval_holds_now_and_the_policy_has_a_forecast(int hour, int minute)
    {
        var day = hour == 23 ? new DateTime(2024, 10, 26) : new DateTime(2024, 10, 27);
        var now = new DateTimeOffset(day.AddHours(hour).AddMinutes(minute), TimeSpan.Zero);

        var upcoming = LiveForecast.Upcoming(ThreeWeeksFlat(), now, Berlin, TimeSpan.FromMinutes(60))!;

        Assert.True(upcoming[0].Start <= now && now < upcoming[0].End, $"now {now:O}; first interval {upcoming[0].Start:O}..{upcoming[0].End:O}");
        var agents = Enumerable.Range(0, 10).Select(i => new AgentPresence($"a{i}", i < 5 ? AgentState.OnCall : AgentState.Available)).ToList();
        var learnedAtMidnight = QueueSettings.Default with { StaleForecastSeconds = 86_400 }; // this forecaster was fed up to the evening before only
        var decision = new ModePolicy().Decide(new RebalanceInput(new QueueSnapshot("q1", now.AddSeconds(-2), 0, 0, agents), [], learnedAtMidnight, now)
        {
            Forecast = upcoming,
        });
        Assert.NotEqual("idle-reserve", decision.Rule); // the real-time rule is for a queue without a forecast
    }

    [Theory]
    [InlineData(0, 30)] // 01:30 CET, the skipped hour ahead
    [InlineData(0, 59)] // 01:59 CET, a minute before it
    [InlineData(1, 0)] // 03:00 CEST, just after
    public void In_a_spring_forward_the_skipped_hour_has_no_interval_and_the_intervals_follow_each_other(int hour, int minute)
    {
        // The local times 02:00 to 02:59 do not exist on 2024-03-31 in Berlin. Their slots were given the standard offset,
        // so 02:00 CET and 03:00 CEST both started at 01:00 UTC: two intervals at once, four of them in the hour.
        var forecaster = Flat(new DateOnly(2024, 3, 9), new DateOnly(2024, 3, 31));
        var now = new DateTimeOffset(2024, 3, 31, hour, minute, 0, TimeSpan.Zero);
        var upcoming = LiveForecast.Upcoming(forecaster, now, Berlin, TimeSpan.FromMinutes(60))!;

        Assert.True(upcoming[0].Start <= now && now < upcoming[0].End, $"now {now:O}; first interval {upcoming[0].Start:O}..{upcoming[0].End:O}");
        for (var i = 1; i < upcoming.Count; i++)
        {
            Assert.True(upcoming[i].Start == upcoming[i - 1].End, $"interval {i} starts {upcoming[i].Start:O}, the one before ends {upcoming[i - 1].End:O}");
        }

        Assert.DoesNotContain(upcoming, f => TimeZoneInfo.ConvertTime(f.Start, Berlin).Hour == 2);
        Assert.True(upcoming[^1].End >= new DateTimeOffset(2024, 3, 31, 22, 0, 0, TimeSpan.Zero)); // to local midnight (CEST)
    }

    [Fact]
    public void The_forecast_says_what_it_learned_through_and_the_decision_records_how_old_that_is()
    {
        // A forecast whose refresh has stopped looked like any other in the decision log.
        var forecaster = ThreeWeeksFlat(); // fed through the interval 2024-10-26 23:45 local (CEST)
        var now = new DateTimeOffset(2024, 10, 27, 3, 0, 0, TimeSpan.Zero);

        var upcoming = LiveForecast.Upcoming(forecaster, now, Berlin, TimeSpan.FromMinutes(60))!;

        var learned = new DateTimeOffset(2024, 10, 27, 0, 0, 0, TimeSpan.FromHours(2)); // its end: local midnight, still CEST
        Assert.All(upcoming, f => Assert.Equal(learned, f.LearnedThrough));
        var agents = Enumerable.Range(0, 10).Select(i => new AgentPresence($"a{i}", i < 5 ? AgentState.OnCall : AgentState.Available)).ToList();
        var decision = new ModePolicy().Decide(new RebalanceInput(new QueueSnapshot("q1", now.AddSeconds(-2), 0, 0, agents), [], QueueSettings.Default, now)
        {
            Forecast = upcoming,
        });
        Assert.Equal((now - learned).TotalMinutes, decision.Inputs["forecastAgeMinutes"]);

        // Five hours without learning is past the two-hour limit: the real-time rule decides, and says why.
        Assert.Equal("idle-reserve", decision.Rule);
        Assert.StartsWith("Forecast stale (it last learned 300 min ago, limit 120 min", decision.Explanation, StringComparison.Ordinal);
        var fresh = new ModePolicy().Decide(new RebalanceInput(new QueueSnapshot("q1", now.AddSeconds(-2), 0, 0, agents), [], QueueSettings.Default, now)
        {
            Forecast = upcoming.Select(f => f with { LearnedThrough = now.AddMinutes(-20) }).ToList(),
        });
        Assert.NotEqual("idle-reserve", fresh.Rule);
        Assert.Equal(20, fresh.Inputs["forecastAgeMinutes"]);
    }

    [Theory]
    [InlineData("Asia/Kolkata", 60, false)] // +05:30
    [InlineData("Asia/Kolkata", 30, true)]
    [InlineData("Asia/Kathmandu", 30, false)] // +05:45
    [InlineData("Asia/Kathmandu", 15, true)]
    [InlineData("Australia/Adelaide", 60, false)] // +09:30 and +10:30
    [InlineData("Europe/Berlin", 60, true)]
    [InlineData("America/New_York", 60, true)]
    [InlineData("UTC", 60, true)]
    public void A_zone_fits_the_grid_only_when_every_offset_is_a_whole_number_of_intervals(string zone, int minutes, bool fits)
    {
        Assert.Equal(fits, LiveForecast.ZoneFitsGrid(TimeZoneInfo.FindSystemTimeZoneById(zone), TimeSpan.FromMinutes(minutes), new DateTime(2026, 12, 6)));
    }
}
