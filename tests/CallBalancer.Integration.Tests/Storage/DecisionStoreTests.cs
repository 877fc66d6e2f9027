using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

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

    private ModeDecision Big(string id, int agents) => new(id, "cards", Time.GetUtcNow(), "stale-snapshot", "stale", 0,
        Enumerable.Range(0, agents).Select(i => new AgentModeChange($"agent-{i:D4}-" + new string('x', 53), AgentMode.ServiceOnly, null, Time.GetUtcNow(), "stale", true)).ToList(),
        new Dictionary<string, double>());

    [Theory]
    [InlineData(450)]
    [InlineData(2000)]
    public async Task A_decision_changing_hundreds_of_agents_keeps_every_change_and_is_found_by_any_of_them(int agents)
    {
        // Over 30,000 characters of changes used to be dropped: the record then named no agent, so a mode answer's
        // decision id could not be looked up by agent. 2,000 agents with 64-character ids is the largest snapshot.
        var decision = Big("d-big", agents);
        await Decisions.AppendAsync(decision);

        var all = Assert.Single(await Decisions.ListRecentAsync("cards", 10));
        Assert.Equal(decision.Changes.Select(c => c.AgentId), all.Changes.Select(c => c.AgentId));
        var last = decision.Changes.Last().AgentId;
        var page = await Decisions.ListAsync("cards", Time.GetUtcNow().AddHours(-1), Time.GetUtcNow().AddHours(1), last, 50);
        Assert.Equal("d-big", Assert.Single(page.Decisions).DecisionId);
    }

    [Fact]
    public async Task A_big_decision_recovered_from_its_outbox_row_logs_exactly_the_changes_written()
    {
        // The outbox row carries the log record, chunked changes included; recovery keeps the first ones written.
        var decision = Big("d-crashed", 700);
        var row = DecisionOutbox.Entry(decision, 99);
        var pending = new PendingDecisionLog(decision.DecisionId, decision.DecidedAt, 198, row);

        await Decisions.AppendAsync(DecisionOutbox.ToLogEntity(pending, Time.GetUtcNow()), decision.DecidedAt, CancellationToken.None);

        var logged = Assert.Single(await Decisions.ListRecentAsync("cards", 10));
        Assert.Equal(decision.Changes.Take(198).Select(c => c.AgentId), logged.Changes.Select(c => c.AgentId));
        Assert.NotNull(logged.RecoveredAt);
    }
}
