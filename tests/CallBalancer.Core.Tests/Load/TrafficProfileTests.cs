using CallBalancer.Cli;
using CallBalancer.Cli.Benchmarks.Load;

namespace CallBalancer.Core.Tests.Load;

/// <summary>The load simulation's queues, sized from the real call-type mix.</summary>
public sealed class TrafficProfileTests
{
    private static readonly TrafficProfile Profile = TrafficProfile.Load(RepositoryPaths.SharedDataFile("anonymous_bank_1999_02_calls.csv"));

    [Theory]
    [InlineData(10_000, 500, 0)]
    [InlineData(50, 2, 0)]
    [InlineData(5_000, 200, 1_000)]
    [InlineData(37, 37, 0)]
    public void Queue_sizes_add_up_to_the_agents_and_every_queue_has_one(int agents, int queues, int largest)
    {
        var sizes = Profile.QueueSizes(agents, queues, largest);
        Assert.Equal(queues, sizes.Count);
        Assert.Equal(agents, sizes.Sum(s => s.Agents));
        Assert.All(sizes, s => Assert.True(s.Agents >= 1));
        if (largest > 0)
        {
            Assert.Equal(largest, sizes[0].Agents);
        }
    }

    [Fact]
    public void Each_site_follows_the_data_mix_largest_type_first()
    {
        Assert.Equal(6, Profile.Types.Count);
        Assert.Equal(1.0, Profile.Types.Sum(t => t.Share), 9);
        Assert.Equal("ps", Profile.Types[0].Name);
        var sizes = Profile.QueueSizes(6_000, 60, 0);

        // Queue j is type j mod 6; the PS queues get about 64% of the agents (the data: 21,460 of the offered calls).
        var ps = sizes.Where((_, j) => j % 6 == 0).Sum(s => s.Agents) / 6_000.0;
        Assert.InRange(ps, Profile.Types[0].Share - 0.01, Profile.Types[0].Share + 0.01);
        Assert.All(Profile.Types, t => Assert.InRange(t.MeanServiceSeconds, 60, 400));
    }
}
