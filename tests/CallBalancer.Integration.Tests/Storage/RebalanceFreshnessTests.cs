using CallBalancer.Integration.Tests.Console;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class RebalanceFreshnessTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private RebalanceRunSummary RunAt(DateTimeOffset completedAt) => new(completedAt.AddSeconds(-1), completedAt, 1, 0, 0);

    [Fact]
    public async Task A_run_it_read_is_reused_while_it_proves_freshness_and_read_again_before_saying_stale()
    {
        var log = new TableRequestLog();
        var runs = new RunStore(new CallBalancerTables(Options, [log]));
        var freshness = new RebalanceFreshness(runs, Time);
        Assert.False(await freshness.IsFreshAsync(StaleAfter));

        await runs.RecordRebalanceAsync(RunAt(Time.GetUtcNow()));
        Assert.True(await freshness.IsFreshAsync(StaleAfter));
        log.Clear();
        Time.Advance(TimeSpan.FromSeconds(100));
        Assert.True(await freshness.IsFreshAsync(StaleAfter));
        Assert.Empty(log.Requests);

        // Past the limit the stored run is read again: a newer one keeps the balancer fresh, none makes it stale.
        Time.Advance(TimeSpan.FromSeconds(30));
        await runs.RecordRebalanceAsync(RunAt(Time.GetUtcNow().AddSeconds(-10)));
        Assert.True(await freshness.IsFreshAsync(StaleAfter));
        Assert.NotEmpty(log.Requests);
        Time.Advance(StaleAfter);
        Assert.False(await freshness.IsFreshAsync(StaleAfter));
        Assert.False(await freshness.IsFreshAsync(StaleAfter));
    }
}
