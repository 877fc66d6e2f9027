using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Tests.Forecasting;

public sealed class LiveForecastTests
{
    [Fact]
    public void The_rebalance_sees_the_rest_of_the_local_day_with_each_intervals_rate_uncertainty()
    {
        var history = SyntheticSeries.Daily(21, 12, (d, j) => 100 + 10 * j + (d % 3 == 0 ? 8 : -8));
        var forecaster = ArrivalForecaster.Fit(history);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var today = history.Days[^1].Date.AddDays(1);
        var localNow = new DateTime(today, new TimeOnly(9, 12));
        var now = new DateTimeOffset(localNow, zone.GetUtcOffset(localNow));

        var upcoming = LiveForecast.Upcoming(forecaster, now, zone, TimeSpan.FromMinutes(30))!;

        Assert.Equal(new DateTimeOffset(new DateTime(today, new TimeOnly(9, 10)), zone.GetUtcOffset(localNow)), upcoming[0].Start);
        Assert.True(upcoming[^1].End >= new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(localNow)),
            $"the forecast ends at {upcoming[^1].End:O}");
        Assert.All(upcoming.Take(10), f => Assert.NotNull(f.RateCv));
    }
}
