using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Tests.Forecasting;

public sealed class ForecastBacktestTests
{
    /// <summary>A model that always forecasts a fixed count with a fixed band, so its errors are known by hand.</summary>
    private sealed class ConstantModel(double mean, double lower, double upper) : IArrivalForecastModel
    {
        public List<DateTime> Observed { get; } = [];

        public bool Observe(DateTime intervalStart, double? calls)
        {
            Observed.Add(intervalStart);
            return true;
        }

        public IReadOnlyList<IntervalForecast> ForecastDay(DateOnly date) =>
            Enumerable.Range(0, 4).Select(j => new IntervalForecast(date.ToDateTime(new TimeOnly(9, 0)).AddMinutes(5 * j), mean, lower, upper)).ToList();

        public IReadOnlyList<IntervalForecast> ForecastRange(DateTime from, int count) =>
            Enumerable.Range(0, count).Select(i => new IntervalForecast(from.AddMinutes(5 * i), mean, lower, upper)).ToList();
    }

    /// <summary>
    /// Mondays 1, 8, 15, 29 Jan and 5 Feb 2024 (22 Jan absent) with every slot at 10, 20, 30, 50 and 60 calls, and busy
    /// Tuesdays between them that no baseline for a Monday may use. Four 5-minute slots from 09:00.
    /// </summary>
    private static IntervalCountSeries Mondays(double naiveSlot2 = 50)
    {
        var days = new List<IntervalCountDay>();
        void Add(int month, int day, params double[] calls) => days.Add(new IntervalCountDay(new DateOnly(2024, month, day), calls));
        Add(1, 1, 10, 10, 10, 10);
        Add(1, 2, 1000, 1000, 1000, 1000);
        Add(1, 8, 20, 20, 20, 20);
        Add(1, 15, 30, 30, 30, 30);
        Add(1, 29, 50, 50, naiveSlot2, 50);
        Add(1, 30, 1000, 1000, 1000, 1000);
        Add(2, 5, 60, 60, 60, 60);
        return new IntervalCountSeries(TimeSpan.FromMinutes(5), 108, 4, days);
    }

    [Fact]
    public void Baselines_use_the_most_recent_same_weekdays_present()
    {
        var model = new ConstantModel(55, 50, 70);
        var result = ForecastBacktest.Run(Mondays(), 1, () => model);

        // Day-ahead per slot: ours |60-55| = 5, naive |60-50| = 10, mean of 10,20,30,50 = 27.5 -> 32.5.
        Assert.Equal(4, result.DayAhead.Points);
        Assert.Equal(5, result.DayAhead.Mae, 12);
        Assert.Equal(5, result.DayAhead.Rmse, 12);
        Assert.Equal(10, result.DayAhead.SeasonalNaiveMae, 12);
        Assert.Equal(32.5, result.DayAhead.MeanLast4Mae, 12);
        Assert.Equal(0.5, result.DayAhead.RelativeMae, 12);
        Assert.Equal(0.5, result.DayAhead.RelativeRmse, 12);
        Assert.Equal(1.0, result.DayAhead.Coverage80);

        // Next 15 minutes = 3 slots, from boundaries 09:00 and 09:05 only: actual 180, ours 165, naive 150, last-4 82.5.
        Assert.Equal(3, result.Next15MinIntervals);
        Assert.Equal(2, result.Next15Min.Points);
        Assert.Equal(15, result.Next15Min.Mae, 12);
        Assert.Equal(30, result.Next15Min.SeasonalNaiveMae, 12);
        Assert.Equal(97.5, result.Next15Min.MeanLast4Mae, 12);
        Assert.Equal(new DateOnly(2024, 2, 5), result.FirstTestDate);
        Assert.Equal(1, result.TestDays);

        // The model saw every count of every day, in time order.
        Assert.Equal(7 * 4, model.Observed.Count);
        Assert.Equal(model.Observed.Order(), model.Observed);
    }

    [Fact]
    public void A_blank_in_the_seasonal_naive_day_drops_that_point_for_every_method()
    {
        var result = ForecastBacktest.Run(Mondays(naiveSlot2: double.NaN), 1, () => new ConstantModel(55, 0, 0));

        // Slot 2 is dropped; both next-15 windows contain slot 2 and are dropped too. Last-4 there uses the other days.
        Assert.Equal(3, result.DayAhead.Points);
        Assert.Equal(0, result.Next15Min.Points);
        Assert.Equal(0.0, result.DayAhead.Coverage80);
        Assert.Equal(32.5, result.DayAhead.MeanLast4Mae, 12);
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(6, 3)]
    [InlineData(10, 2)]
    [InlineData(15, 1)]
    [InlineData(30, 1)]
    public void The_short_horizon_sums_the_intervals_starting_within_15_minutes(int minutes, int intervals) =>
        Assert.Equal(intervals, ForecastBacktest.ShortHorizonIntervals(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void The_forecaster_beats_the_seasonal_naive_on_a_series_with_a_weekly_pattern_and_poisson_noise()
    {
        var random = new Random(3);
        var series = SyntheticSeries.Daily(70, 24, (d, j) => Math.Round(100 * (1 + 0.3 * (d % 7 == 0 ? 1 : 0)) * (1 + Math.Sin(j / 5.0)) * (0.9 + 0.2 * random.NextDouble())));

        var result = ForecastBacktest.Run(series, 14);

        Assert.True(result.DayAhead.RelativeMae < 0.85, $"day-ahead relative MAE {result.DayAhead.RelativeMae}");
        Assert.True(result.Next15Min.RelativeMae < 0.85, $"next-15 relative MAE {result.Next15Min.RelativeMae}");
    }
}
