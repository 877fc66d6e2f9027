using CallBalancer.Core.Simulation;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Simulation;

public sealed class ScaledServiceTimesTests
{
    [Property(MaxTest = 200)]
    public Property Stretching_keeps_the_shape_and_moves_the_mean(PositiveInt targetMean, int seed)
    {
        var inner = new EmpiricalServiceTimes([30, 60, 90, 200, 600]);
        var scaled = new ScaledServiceTimes(inner, targetMean.Get % 1000 + 1);
        var (a, b) = (new Random(seed), new Random(seed));
        var same = Enumerable.Range(0, 50).All(_ => Math.Abs(scaled.Sample(a) - inner.Sample(b) * scaled.Mean / inner.Mean) < 1e-9);
        return (same && scaled.Cv == inner.Cv && scaled.Mean == targetMean.Get % 1000 + 1).Label($"mean {scaled.Mean}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_mean_that_is_not_a_positive_number_is_refused(double mean) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledServiceTimes(new EmpiricalServiceTimes([60, 120]), mean));
}
