using CallBalancer.Core.Forecasting;

namespace CallBalancer.Core.Tests.Forecasting;

public sealed class IntervalCountsCsvTests
{
    private static IntervalCountSeries Parse(string text) => IntervalCountsCsv.Parse(new StringReader(text));

    [Fact]
    public void Blank_counts_are_missing_not_zero_and_extra_columns_are_ignored()
    {
        var series = Parse(
            "interval_start,calls,weekday,source_imputed_value\n" +
            "1999-05-22T00:00:00,3,Sat,\n" +
            "1999-05-22T00:06:00,0,Sat,\n" +
            "1999-05-23T00:00:00,,Sun,2.5\n" +
            "1999-05-23T00:06:00,,Sun,0\n");

        Assert.Equal(TimeSpan.FromMinutes(6), series.IntervalLength);
        Assert.Equal(2, series.Days.Count);
        Assert.Equal([3.0, 0.0], series.Days[0].Calls);
        Assert.All(series.Days[1].Calls, c => Assert.True(double.IsNaN(c)));
        Assert.False(series.Days[1].HasAnyCount);
    }

    [Fact]
    public void Missing_days_are_absent_and_the_grid_starts_at_the_first_interval_of_any_day()
    {
        // 5-minute data from 07:00; Friday 4 April is missing from the source, and one day starts later.
        var series = Parse(
            "interval_start,calls\n" +
            "2003-04-03T07:00:00,111\n" +
            "2003-04-03T07:05:00,113\n" +
            "2003-04-03T07:10:00,76\n" +
            "2003-04-08T07:05:00,90\n");

        Assert.Equal(TimeSpan.FromMinutes(5), series.IntervalLength);
        Assert.Equal(84, series.FirstSlot);
        Assert.Equal(3, series.SlotCount);
        Assert.Equal([new DateOnly(2003, 4, 3), new DateOnly(2003, 4, 8)], series.Days.Select(d => d.Date));
        Assert.True(double.IsNaN(series.Days[1].Calls[0]));
        Assert.Equal(90, series.Days[1].Calls[1]);
        Assert.Equal(new DateTime(2003, 4, 8, 7, 10, 0), series.IntervalStart(new DateOnly(2003, 4, 8), 2));
    }

    [Fact]
    public void Columns_may_come_in_any_order_and_rows_unsorted()
    {
        var series = Parse("weekday,calls,interval_start\nMon,7,2024-01-01T10:15:00\nMon,5,2024-01-01T10:00:00\n");

        Assert.Equal(TimeSpan.FromMinutes(15), series.IntervalLength);
        Assert.Equal([5.0, 7.0], series.Days[0].Calls);
    }

    [Theory]
    [InlineData("time,calls\n2024-01-01T10:00:00,5\n")]
    [InlineData("interval_start,calls\n2024-01-01T10:00:00,-1\n2024-01-01T10:05:00,1\n")]
    [InlineData("interval_start,calls\nyesterday,5\n2024-01-01T10:05:00,1\n")]
    [InlineData("interval_start,calls\n2024-01-01T10:00:00,5\n")]
    [InlineData("interval_start,calls\n2024-01-01T10:00:00,5\n2024-01-01T10:07:00,5\n")]
    [InlineData("")]
    public void Malformed_input_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => Parse(text));
}
