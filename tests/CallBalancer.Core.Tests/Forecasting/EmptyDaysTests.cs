using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Tests.Forecasting;

/// <summary>
/// Days and hours without calls that are not history: a holiday, a closed weekday, the hours before a queue's first
/// call. Taught as zeros they made a zero forecast that never recovered, and the policy then cross-sold on "0 calls/h".
/// </summary>
public sealed class EmptyDaysTests
{
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    private static DateTimeOffset At(DateOnly date, int hour = 0, int minute = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    /// <summary>20 calls a quarter from 08:00 to 18:00, none otherwise; none at all when closed.</summary>
    private static IEnumerable<(DateTimeOffset, double)> Day(DateOnly date, bool closed) =>
        Enumerable.Range(0, 96).Select(j => (At(date) + (Quarter * j), closed || j < 32 || j >= 72 ? 0.0 : 20.0));

    [Fact]
    public void A_weekday_first_seen_on_a_day_without_calls_is_forecast_from_its_open_days()
    {
        // Monday 2024-01-01; the first Wednesday is a holiday without calls.
        var forecaster = new ArrivalForecaster(Quarter);
        var monday = new DateOnly(2024, 1, 1);
        for (var d = 0; d < 23; d++)
        {
            var date = monday.AddDays(d);
            LiveForecast.ObserveCompleted(forecaster, Day(date, closed: d == 2), At(date.AddDays(1)), TimeZoneInfo.Utc);
        }

        var wednesday = monday.AddDays(23);
        Assert.Equal(DayOfWeek.Wednesday, wednesday.DayOfWeek);
        var now = At(wednesday, 10, 5);
        LiveForecast.ObserveCompleted(forecaster, Day(wednesday, closed: false).Where(i => i.Item1 < now), now, TimeZoneInfo.Utc);

        var upcoming = LiveForecast.Upcoming(forecaster, now, TimeZoneInfo.Utc, TimeSpan.FromMinutes(60))!;
        Assert.InRange(upcoming[0].ExpectedCalls, 15, 25); // 20 a quarter on every open day
    }

    [Fact]
    public void A_state_that_learnt_a_zero_weekday_relearns_it_from_a_day_with_calls()
    {
        // As a state saved before empty days were skipped could hold: Wednesday's profile all zeros.
        var forecaster = new ArrivalForecaster(Quarter);
        var monday = new DateOnly(2024, 1, 1);
        for (var d = 0; d < 14; d++)
        {
            var date = monday.AddDays(d);
            LiveForecast.ObserveCompleted(forecaster, Day(date, closed: false), At(date.AddDays(1)), TimeZoneInfo.Utc);
        }

        var state = forecaster.State.Clone();
        Array.Fill(state.Profile[(int)DayOfWeek.Wednesday], 0);
        var poisoned = new ArrivalForecaster(state);
        var wednesday = monday.AddDays(16);
        Assert.Equal(0, poisoned.ForecastDay(wednesday).Sum(i => i.Mean));

        LiveForecast.ObserveCompleted(poisoned, Day(monday.AddDays(14), false).Concat(Day(monday.AddDays(15), false)).Concat(Day(wednesday, false)),
            At(wednesday.AddDays(1)), TimeZoneInfo.Utc);
        Assert.InRange(poisoned.ForecastDay(wednesday.AddDays(7))[40].Mean, 15, 25);
    }

    [Fact]
    public void A_queue_that_goes_live_in_the_afternoon_is_not_forecast_empty_the_next_morning()
    {
        var forecaster = new ArrivalForecaster(Quarter);
        var tuesday = new DateOnly(2024, 1, 2);
        var first = Enumerable.Range(0, 96).Select(j => (At(tuesday) + (Quarter * j), j >= 56 && j < 72 ? 20.0 : 0.0)); // live from 14:00
        LiveForecast.ObserveCompleted(forecaster, first, At(tuesday.AddDays(1)), TimeZoneInfo.Utc);

        var wednesday = tuesday.AddDays(1);
        var now = At(wednesday, 10, 5);
        var morning = Enumerable.Range(0, 40).Select(j => (At(wednesday) + (Quarter * j), j >= 32 ? 20.0 : 0.0));
        LiveForecast.ObserveCompleted(forecaster, morning, now, TimeZoneInfo.Utc);

        var upcoming = LiveForecast.Upcoming(forecaster, now, TimeZoneInfo.Utc, TimeSpan.FromMinutes(60))!;
        Assert.True(upcoming[0].ExpectedCalls > 10, $"10:00 forecast {upcoming[0].ExpectedCalls:0.00}; 160 calls since 08:00");
    }

    [Fact]
    public void A_new_queue_west_of_utc_has_no_forecast_in_its_first_hour()
    {
        // New York: the queue's first UTC day begins at 19:00 local the evening before; its first call is at 09:00 local.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var forecaster = new ArrivalForecaster(TimeSpan.FromHours(1));
        var day = new DateOnly(2026, 12, 1);
        var hours = Enumerable.Range(0, 15).Select(h => (At(day, h), h == 14 ? 10.0 : 0.0));

        LiveForecast.ObserveCompleted(forecaster, hours, At(day, 15, 1), zone);

        Assert.False(forecaster.HasProfile);
        Assert.Null(LiveForecast.Upcoming(forecaster, At(day, 15, 1), zone, TimeSpan.FromHours(1)));
    }
}
