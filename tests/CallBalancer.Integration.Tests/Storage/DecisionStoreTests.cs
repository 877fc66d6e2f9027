using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class DecisionStoreTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private ModeDecision Decision(string id) => new(id, "cards", Time.GetUtcNow(), "idle-reserve", "why", 1,
        [new AgentModeChange("a1", AgentMode.CrossSell, null, Time.GetUtcNow(), "why", true)],
        new Dictionary<string, double> { ["idleAgents"] = 3 });

    [Fact]
    public async Task Decisions_list_newest_first()
    {
        await Decisions.AppendAsync(Decision("d1"));
        Time.Advance(TimeSpan.FromSeconds(15));
        await Decisions.AppendAsync(Decision("d2"));
        Time.Advance(TimeSpan.FromSeconds(15));
        await Decisions.AppendAsync(Decision("d3"));
        Assert.Equal(["d3", "d2", "d1"], (await Decisions.ListRecentAsync("cards", 10)).Select(d => d.DecisionId));
        Assert.Equal(["d3", "d2"], (await Decisions.ListRecentAsync("cards", 2)).Select(d => d.DecisionId));
    }

    [Fact]
    public async Task Appending_the_same_decision_twice_keeps_one_record()
    {
        var d = Decision("d1");
        await Decisions.AppendAsync(d);
        await Decisions.AppendAsync(d);
        var logged = Assert.Single(await Decisions.ListRecentAsync("cards", 10));
        Assert.Equal(3, logged.Inputs["idleAgents"]);
        Assert.Equal("cross-sell", Assert.Single(logged.Changes).Mode);
    }
}
