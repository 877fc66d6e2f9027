using CallBalancer.Core.Offers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Offers;

public sealed class PropensityModelTests
{
    [Property(MaxTest = 300)]
    public Property The_estimate_lies_between_the_prior_and_the_observed_rate(NonNegativeInt offers, NonNegativeInt accepts, byte prior)
    {
        var n = offers.Get % 5000;
        var k = n == 0 ? 0 : accepts.Get % (n + 1);
        var p0 = (prior % 100) / 100.0;
        var estimate = PropensityModel.Default.Estimate(p0, new PropensityCounts(n, k));
        var observed = n == 0 ? p0 : (double)k / n;
        return (estimate >= Math.Min(p0, observed) - 1e-12 && estimate <= Math.Max(p0, observed) + 1e-12).Label("between prior and data")
            .And((estimate is >= 0 and <= 1).Label("a probability"));
    }

    [Fact]
    public void With_many_answers_the_estimate_follows_the_data_and_with_none_the_rule()
    {
        Assert.Equal(0.30, PropensityModel.Default.Estimate(0.30, PropensityCounts.None), 12);
        Assert.Equal(0.10, PropensityModel.Default.Estimate(0.30, new PropensityCounts(100_000, 10_000)), 3);

        // Beta(6, 14) prior plus 2 of 10: (6 + 2) / (20 + 10).
        Assert.Equal(8.0 / 30.0, PropensityModel.Default.Estimate(0.30, new PropensityCounts(10, 2)), 12);
    }

    [Fact]
    public void A_reversal_takes_an_acceptance_back_without_removing_the_offer()
    {
        var c = PropensityCounts.None.With(OfferOutcome.Accepted).With(OfferOutcome.Declined).With(OfferOutcome.Reversed);
        Assert.Equal(new PropensityCounts(2, 0), c);
    }
}
