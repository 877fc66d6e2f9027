using System.Text.Json;
using CallBalancer.Core.Forecasting;
using FsCheck;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Forecasting;

public sealed class ArrivalForecasterTests
{
    private const int Slots = 12;

    /// <summary>A busy-ish random history: each day a level times a fixed hump, plus noise from the seed.</summary>
    private static IntervalCountSeries RandomHistory(int seed, int days)
    {
        var random = new Random(seed);
        var levels = Enumerable.Range(0, days).Select(_ => 50 + random.Next(100)).ToArray();
        return SyntheticSeries.Daily(days, Slots, (d, j) => Math.Round(levels[d] * (1 + Math.Sin(j / 3.0)) + random.Next(20)));
    }

    private static bool Close(double a, double b, double relative) => Math.Abs(a - b) <= relative * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    [Property(MaxTest = 50)]
    public bool A_constant_series_is_forecast_exactly_day_ahead_and_intraday(PositiveInt calls, PositiveInt days)
    {
        var c = calls.Get % 1000;
        var series = SyntheticSeries.Daily(7 + days.Get % 21, Slots, (_, _) => c);
        var forecaster = ArrivalForecaster.Fit(series);
        var next = series.Days[^1].Date.AddDays(1);

        var dayAhead = forecaster.ForecastDay(next);
        forecaster.Observe(new DateTime(next, new TimeOnly(9, 0)), c);
        var intraday = forecaster.ForecastRange(new DateTime(next, new TimeOnly(9, 5)), 3);

        return dayAhead.Count == Slots
            && dayAhead.All(f => Close(f.Mean, c, 1e-9))
            && intraday.All(f => Close(f.Mean, c, 1e-9));
    }

    [Property(MaxTest = 40)]
    public void The_time_of_day_smoothing_spans_the_same_part_of_the_day_at_any_interval_length(PositiveInt before, PositiveInt after)
    {
        // Eight hours from 09:00 with a step at 13:00 (a lunch peak ending, or a queue closing to a trickle), once as
        // 5-minute counts and once as the same traffic counted per hour. Before the smoothing scaled with the interval,
        // an hourly profile took 30% of each neighbouring hour: 3.3 times the step moved into the hours either side.
        var (a, b) = (before.Get % 300, after.Get % 300);
        var fine = SyntheticSeries.Daily(21, 96, (_, j) => j < 48 ? a : b);
        var hourly = SyntheticSeries.Daily(21, 8, (_, h) => 12 * (h < 4 ? a : b), interval: TimeSpan.FromHours(1));
        var next = fine.Days[^1].Date.AddDays(1);

        var perFiveMinutes = ArrivalForecaster.Fit(fine).ForecastDay(next).Select(f => f.Mean).ToArray();
        var perHour = ArrivalForecaster.Fit(hourly).ForecastDay(next).Select(f => f.Mean).ToArray();
        Assert.Equal(8, perHour.Length);
        for (var h = 0; h < 8; h++)
        {
            var sum = perFiveMinutes.Skip(12 * h).Take(12).Sum();
            Assert.True(Math.Abs(perHour[h] - sum) <= 0.01 * 12 * Math.Max(a, b) + 1e-6,
                $"hour {h}: hourly forecast {perHour[h]:F2}, 5-minute forecasts sum to {sum:F2} (a={a}, b={b})");
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void A_surge_in_the_last_hour_moves_the_next_hour_about_as_much_counted_per_hour_as_per_5_minutes(int seed)
    {
        // 21 days of 8 hours from 09:00 at a level that varies by up to 20% from day to day, then a day that runs at
        // its forecast for four hours and at 1.6 times it in the fifth. The intraday ratio's decay is per stretch of
        // the day, not per interval: at 0.9 per hour the surge hour carried a quarter of the morning's weight, at 0.9
        // per 5 minutes nearly three quarters, so an hourly queue reacted a third as much (measured: 15% against 42%).
        var random = new Random(seed);
        var levels = Enumerable.Range(0, 21).Select(_ => 0.8 + (0.4 * random.NextDouble())).ToArray();
        var fine = SyntheticSeries.Daily(21, 96, (d, _) => Math.Round(100 * levels[d]));
        var hourly = SyntheticSeries.Daily(21, 8, (d, _) => 12 * Math.Round(100 * levels[d]), interval: TimeSpan.FromHours(1));
        var day = fine.Days[^1].Date.AddDays(1);

        double Uplift(IntervalCountSeries history, int intervalsPerHour)
        {
            var f = ArrivalForecaster.Fit(history);
            var minutes = 60 / intervalsPerHour;
            var before = f.ForecastRange(day.ToDateTime(new TimeOnly(14, 0)), intervalsPerHour).Sum(x => x.Mean);
            var dayAhead = f.ForecastDay(day).Select(x => x.Mean).ToArray();
            for (var i = 0; i < 5 * intervalsPerHour; i++)
            {
                f.Observe(day.ToDateTime(new TimeOnly(9, 0)).AddMinutes(minutes * i), Math.Round(dayAhead[i] * (i < 4 * intervalsPerHour ? 1 : 1.6)));
            }

            return f.ForecastRange(day.ToDateTime(new TimeOnly(14, 0)), intervalsPerHour).Sum(x => x.Mean) / before - 1;
        }

        var perFiveMinutes = Uplift(fine, 12);
        var perHour = Uplift(hourly, 1);
        Assert.True(perFiveMinutes > 0.1, $"5-minute uplift {perFiveMinutes:P1}");
        Assert.InRange(perHour, 0.7 * perFiveMinutes, 1.3 * perFiveMinutes);
    }

    [Property(MaxTest = 30)]
    public bool Scaling_the_history_scales_the_day_ahead_forecast(int seed, PositiveInt factorSeed)
    {
        var factor = 0.1 + factorSeed.Get % 50 / 5.0;
        var history = RandomHistory(seed, 20);
        var next = history.Days[^1].Date.AddDays(1);

        var plain = ArrivalForecaster.Fit(history).ForecastDay(next);
        var scaled = ArrivalForecaster.Fit(SyntheticSeries.Scale(history, factor)).ForecastDay(next);

        // Only the 6-significant-digit rounding of the stored profile separates the two.
        return plain.Zip(scaled).All(p => Close(p.Second.Mean, factor * p.First.Mean, 1e-4));
    }

    [Property(MaxTest = 30)]
    public bool Prediction_intervals_contain_the_mean_and_are_non_negative(int seed, PositiveInt observedToday)
    {
        var history = RandomHistory(seed, 16);
        var forecaster = ArrivalForecaster.Fit(history);
        var next = history.Days[^1].Date.AddDays(1);
        var seen = observedToday.Get % Slots;
        for (var j = 0; j < seen; j++)
        {
            forecaster.Observe(new DateTime(next, new TimeOnly(9, 0)).AddMinutes(5 * j), Math.Abs(seed % 7) * 30 + j);
        }

        var forecasts = forecaster.ForecastDay(next).Concat(forecaster.ForecastRange(new DateTime(next, new TimeOnly(9, 0)).AddMinutes(5 * seen), 5));
        return forecasts.All(f => f.Lower >= 0 && f.Lower <= f.Mean && f.Mean <= f.Upper);
    }

    [Property(MaxTest = 20)]
    public bool Resuming_from_persisted_json_between_timer_runs_equals_one_uninterrupted_run(int seed, PositiveInt chunk)
    {
        var history = RandomHistory(seed, 18);
        var batch = ArrivalForecaster.Fit(history);

        // Online: a fresh process per chunk of intervals, the state persisted as JSON in between.
        var json = JsonSerializer.Serialize(new ArrivalForecaster(history.IntervalLength).State);
        var counts = history.Days.SelectMany(d => d.Calls.Select((c, j) => (Start: history.IntervalStart(d.Date, j), Calls: c))).ToList();
        var size = 1 + chunk.Get % 40;
        for (var i = 0; i < counts.Count; i += size)
        {
            var online = new ArrivalForecaster(JsonSerializer.Deserialize<ArrivalForecastState>(json)!);
            foreach (var (start, calls) in counts.Skip(i).Take(size))
            {
                online.Observe(start, calls);
            }

            json = JsonSerializer.Serialize(online.State);
        }

        var resumed = new ArrivalForecaster(JsonSerializer.Deserialize<ArrivalForecastState>(json)!);
        var next = history.Days[^1].Date.AddDays(1);
        return json == JsonSerializer.Serialize(batch.State)
            && resumed.ForecastDay(next).SequenceEqual(batch.ForecastDay(next));
    }

    [Fact]
    public void The_state_round_trips_through_json_and_stays_small()
    {
        var history = RandomHistory(7, 30);
        var forecaster = ArrivalForecaster.Fit(history);
        var json = JsonSerializer.Serialize(forecaster.State);
        var back = JsonSerializer.Deserialize<ArrivalForecastState>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(back));
        Assert.Equal(history.Days[^1].Date, back.CurrentDate);
        var next = history.Days[^1].Date.AddDays(1);
        Assert.Equal(forecaster.ForecastDay(next), new ArrivalForecaster(back).ForecastDay(next));
        Assert.True(json.Length < 4_000, $"state JSON is {json.Length} characters for 7 x {Slots} slots");
    }

    [Property(MaxTest = 40)]
    public bool Intraday_updating_moves_the_rest_of_the_day_towards_the_observed_ratio(PositiveInt ratioSeed, PositiveInt observed)
    {
        var history = SyntheticSeries.Daily(21, Slots, (d, j) => 100 + 10 * j + (d % 3 == 0 ? 5 : -5));
        var forecaster = ArrivalForecaster.Fit(history);
        var today = history.Days[^1].Date.AddDays(1);
        var dayAhead = forecaster.ForecastDay(today);
        var ratio = 0.25 + ratioSeed.Get % 16 / 4.0;
        var seen = 1 + observed.Get % (Slots - 1);
        var before = forecaster.ForecastRange(dayAhead[seen].IntervalStart, 1)[0].Mean;
        for (var j = 0; j < seen; j++)
        {
            forecaster.Observe(dayAhead[j].IntervalStart, dayAhead[j].Mean * ratio);
        }

        var after = forecaster.ForecastRange(dayAhead[seen].IntervalStart, 1)[0].Mean / dayAhead[seen].Mean;
        return Close(before, dayAhead[seen].Mean, 1e-12)
            && after >= Math.Min(1, ratio) - 1e-9 && after <= Math.Max(1, ratio) + 1e-9
            && (ratio == 1 || Math.Abs(after - 1) > 1e-3);
    }

    [Fact]
    public void More_observed_intervals_pull_the_intraday_ratio_closer_to_the_observed_one()
    {
        var history = SyntheticSeries.Daily(21, Slots, (d, j) => 100 + 10 * j + (d % 3 == 0 ? 8 : -8));
        var forecaster = ArrivalForecaster.Fit(history);
        var today = history.Days[^1].Date.AddDays(1);
        var dayAhead = forecaster.ForecastDay(today);
        var ratios = new List<double>();
        for (var j = 0; j < Slots - 1; j++)
        {
            forecaster.Observe(dayAhead[j].IntervalStart, dayAhead[j].Mean * 1.5);
            ratios.Add(forecaster.ForecastRange(dayAhead[j + 1].IntervalStart, 1)[0].Mean / dayAhead[j + 1].Mean);
        }

        Assert.True(ratios.Zip(ratios.Skip(1)).All(p => p.Second >= p.First - 1e-12), string.Join(", ", ratios));
        Assert.InRange(ratios[^1], 1.25, 1.5);
    }

    [Fact]
    public void Two_weeks_of_weekday_history_give_every_weekday_its_own_profile_and_a_weekend_the_pooled_one()
    {
        // Mondays are twice as busy as the other weekdays; no weekend data at all.
        var history = SyntheticSeries.Daily(10, Slots, (d, j) => (d % 5 == 0 ? 200 : 100) + j, weekdaysOnly: true);
        var forecaster = ArrivalForecaster.Fit(history);
        var monday = new DateOnly(2024, 1, 15);

        var mondayTotal = forecaster.ForecastDay(monday).Sum(f => f.Mean);
        var tuesdayTotal = forecaster.ForecastDay(monday.AddDays(1)).Sum(f => f.Mean);
        var saturdayTotal = forecaster.ForecastDay(monday.AddDays(5)).Sum(f => f.Mean);

        Assert.Equal(history.Days.Where(d => d.DayOfWeek == DayOfWeek.Monday).Average(d => d.Calls.Sum()), mondayTotal, 1e-6 * mondayTotal);
        Assert.Equal(history.Days.Where(d => d.DayOfWeek == DayOfWeek.Tuesday).Average(d => d.Calls.Sum()), tuesdayTotal, 1e-6 * tuesdayTotal);
        Assert.InRange(saturdayTotal, tuesdayTotal, mondayTotal);
    }

    [Fact]
    public void Blank_counts_and_late_counts_are_ignored()
    {
        var forecaster = ArrivalForecaster.Fit(SyntheticSeries.Daily(14, Slots, (_, j) => 50 + j));
        var json = JsonSerializer.Serialize(forecaster.State);

        Assert.False(forecaster.Observe(new DateTime(2024, 1, 15, 9, 0, 0), null));
        Assert.False(forecaster.Observe(new DateTime(2024, 1, 2, 9, 0, 0), 999));
        Assert.Equal(json, JsonSerializer.Serialize(forecaster.State));
        Assert.Throws<ArgumentException>(() => forecaster.Observe(new DateTime(2024, 1, 15, 9, 1, 0), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => forecaster.Observe(new DateTime(2024, 1, 15, 9, 0, 0), -1));
    }

    [Fact]
    public void Prediction_intervals_are_calibrated_on_poisson_counts()
    {
        var random = new Random(42);
        double Poisson(double mean)
        {
            // Knuth's method is fine for the small means used here.
            var limit = Math.Exp(-mean);
            var k = 0;
            for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
            {
                k++;
            }

            return k;
        }

        var history = SyntheticSeries.Daily(120, 24, (_, j) => Poisson(5 + 20 * Math.Sin(Math.PI * j / 24)));
        var train = history.TakeDays(90);
        var forecaster = ArrivalForecaster.Fit(train);
        int inside = 0, total = 0;
        foreach (var day in history.Days.Skip(90))
        {
            var forecast = forecaster.ForecastDay(day.Date);
            for (var j = 0; j < day.Calls.Length; j++)
            {
                inside += forecast[j].Covers(day.Calls[j]) ? 1 : 0;
                total++;
                forecaster.Observe(forecast[j].IntervalStart, day.Calls[j]);
            }
        }

        Assert.InRange(inside / (double)total, 0.75, 0.88);
    }

    [Fact]
    public void Observing_an_interval_again_is_idempotent_and_a_corrected_count_replaces_the_first()
    {
        var history = RandomHistory(11, 15);
        var once = ArrivalForecaster.Fit(history);
        var retried = ArrivalForecaster.Fit(history);
        var corrected = ArrivalForecaster.Fit(history);
        var today = history.Days[^1].Date.AddDays(1);
        var start = new DateTime(today, new TimeOnly(9, 0));
        once.Observe(start, 80);
        retried.Observe(start, 80);
        retried.Observe(start, 80);
        corrected.Observe(start, 500);
        corrected.Observe(start, 80);

        Assert.Equal(JsonSerializer.Serialize(once.State), JsonSerializer.Serialize(retried.State));
        var next = start.AddMinutes(5);
        Assert.Equal(once.ForecastRange(next, 4).Select(f => f.Mean), corrected.ForecastRange(next, 4).Select(f => f.Mean));
        Assert.NotEqual(once.ForecastRange(next, 1)[0].Mean, ArrivalForecaster.Fit(history).ForecastRange(next, 1)[0].Mean);
    }

    [Fact]
    public void The_rate_uncertainty_is_the_overdispersion_the_forecaster_measured_beyond_poisson()
    {
        // Poisson counts around a level that itself moves ±15% from day to day and within a day: the forecaster's
        // residual variance beyond the mean is that movement, and its rate cv is of that size, not 0; a history of
        // exactly Poisson-like counts at a fixed level shows almost none.
        var random = new Random(5);
        double Poisson(double mean)
        {
            // Knuth's method is fine at these means.
            var l = Math.Exp(-mean);
            var k = 0;
            for (var p = random.NextDouble(); p > l; p *= random.NextDouble())
            {
                k++;
            }

            return k;
        }

        var level = Enumerable.Range(0, 60).Select(_ => 1 + 0.15 * (2 * random.NextDouble() - 1)).ToArray();
        var moving = SyntheticSeries.Daily(60, Slots, (d, j) => Poisson(200 * level[d] * (1 + 0.1 * Math.Sin(j + d))));
        var steady = SyntheticSeries.Daily(60, Slots, (d, j) => Poisson(200));
        var today = moving.Days[^1].Date.AddDays(1);

        var movingCv = ArrivalForecaster.Fit(moving).ForecastDay(today)[3].RateCv;
        var steadyCv = ArrivalForecaster.Fit(steady).ForecastDay(today)[3].RateCv;

        Assert.InRange(movingCv, 0.04, 0.25);
        Assert.InRange(steadyCv, 0, 0.03);
    }
}
