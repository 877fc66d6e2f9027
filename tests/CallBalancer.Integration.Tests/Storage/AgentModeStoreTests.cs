using Azure.Core;
using CallBalancer.Core.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Storage;

public sealed class AgentModeStoreTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private ModeDecision Decide(QueueSnapshot snapshot, IReadOnlyList<StoredAgentMode> current, QueueSettings? settings = null) =>
        new ModePolicy().Decide(new RebalanceInput(snapshot, current.Select(c => c.State).ToList(), settings ?? QueueSettings.Default, Time.GetUtcNow()));

    [Fact]
    public async Task Applying_a_decision_writes_every_changed_agent_and_indexes_it_by_agent()
    {
        var snapshot = QuietSnapshot("cards", 5);
        var decision = Decide(snapshot, []);
        await Modes.ApplyAsync(decision, new Dictionary<string, StoredAgentMode>(), "w1");

        var stored = await Modes.GetQueueModesAsync("cards");
        Assert.Equal(5, stored.Count);
        Assert.All(stored, s => Assert.Equal("w1", s.WriteId));
        Assert.Equal(decision.Agents.Count(a => a.Mode == AgentMode.CrossSell), stored.Count(s => s.State.Mode == AgentMode.CrossSell));

        var one = await Modes.GetAgentModeAsync("cards-agent0000");
        Assert.Equal("cards", one!.QueueId);
        Assert.Equal(decision.DecisionId, one.DecisionId);
        Assert.Null(await Modes.GetAgentModeAsync("nobody"));
    }

    [Fact]
    public async Task An_agent_read_again_after_moving_queues_is_read_from_the_new_queue_and_one_read_at_a_time_otherwise()
    {
        var log = new Console.TableRequestLog();
        var modes = new AgentModeStore(new CallBalancerTables(Options, [log]));
        var moving = new AgentPresence("cards-agent0000", AgentState.Available);
        await modes.ApplyAsync(Decide(QuietSnapshot("cards", 3), []), new Dictionary<string, StoredAgentMode>(), "w1");
        Assert.Equal("cards", (await modes.GetAgentModeAsync(moving.AgentId))!.QueueId);

        // Read again: the queue remembered lets the mode row be read beside the index, the same two requests.
        log.Clear();
        Assert.Equal("cards", (await modes.GetAgentModeAsync(moving.AgentId))!.QueueId);
        Assert.Equal(2, log.Requests.Count);

        // The agent moves to another queue (its row in the old queue stays, as the rebalance leaves it).
        var loans = new QueueSnapshot("loans", Time.GetUtcNow(), 0, 0, [moving]);
        await modes.ApplyAsync(Decide(loans, []), new Dictionary<string, StoredAgentMode>(), "w2");
        Assert.NotEmpty(await modes.GetQueueModesAsync("cards"));
        var after = await modes.GetAgentModeAsync(moving.AgentId);
        Assert.Equal("loans", after!.QueueId);
        Assert.Equal("loans", (await modes.GetAgentModeAsync(moving.AgentId))!.QueueId);
    }

    [Fact]
    public async Task More_than_a_hundred_changes_are_split_into_transactions_of_at_most_a_hundred()
    {
        // Azurite (like the service) rejects a 101-entity transaction; 250 agents must still all be written.
        var decision = Decide(QuietSnapshot("wide", 250), []);
        Assert.True(decision.Changes.Count() > AgentModeStore.MaxTransactionSize);
        await Modes.ApplyAsync(decision, new Dictionary<string, StoredAgentMode>(), "w1");
        Assert.Equal(250, (await Modes.GetQueueModesAsync("wide")).Count);
    }

    [Fact]
    public async Task A_new_centre_is_indexed_in_a_transaction_per_bucket_and_every_agent_is_found()
    {
        // 1,000 new agents: the index takes at most one request per bucket and hundred agents, not one per agent.
        var counter = new StorageRequestCounter(Time);
        var modes = new AgentModeStore(Client(o => o.AddPolicy(counter, HttpPipelinePosition.PerCall)));
        var decision = Decide(QuietSnapshot("centre", 1000), []);
        counter.Reset();

        await modes.ApplyAsync(decision, new Dictionary<string, StoredAgentMode>(), "w1");

        var indexWrites = counter.Load.Where(l => l.Resource == Tables.Names.AgentIndex).Sum(l => l.WriteRequests);
        Assert.InRange(indexWrites, 1, AgentModeStore.IndexBuckets + 1000 / AgentModeStore.MaxTransactionSize);
        foreach (var agentId in new[] { "centre-agent0000", "centre-agent0517", "centre-agent0999" })
        {
            Assert.Equal("centre", (await modes.GetAgentModeAsync(agentId))!.QueueId);
        }
    }

    [Fact]
    public void The_index_buckets_are_stable_and_spread_agents_evenly()
    {
        var ids = Enumerable.Range(0, 6400).Select(i => $"agent-{i}").ToList();
        var buckets = ids.GroupBy(AgentModeStore.IndexPartition).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(AgentModeStore.IndexBuckets, buckets.Count);
        Assert.InRange(buckets.Values.Max(), 1, 2 * 6400 / AgentModeStore.IndexBuckets);
        Assert.All(ids.Take(50), id => Assert.Equal(AgentModeStore.IndexPartition(id), AgentModeStore.IndexPartition(new string(id.ToCharArray()))));
    }

    [Fact]
    public async Task A_transition_based_on_a_stale_read_fails_and_writes_nothing_of_its_transaction()
    {
        var first = Decide(QuietSnapshot("cards", 4), []);
        await Modes.ApplyAsync(first, new Dictionary<string, StoredAgentMode>(), "w1");
        var staleRead = (await Modes.GetQueueModesAsync("cards")).ToDictionary(s => s.State.AgentId);

        // Someone else moves everyone to service-only (an emergency) after our read.
        var emergency = Decide(QuietSnapshot("cards", 4, waiting: 3, oldestWait: 90, state: AgentState.OnCall), staleRead.Values.ToList());
        await Modes.ApplyAsync(emergency, staleRead, "w2");

        // Our decision from the stale read must not overwrite theirs.
        Time.Advance(TimeSpan.FromSeconds(15));
        var ours = new ModeDecision("mine", "cards", Time.GetUtcNow(), "test", "test", 4,
            staleRead.Values.Select(s => new AgentModeChange(s.State.AgentId, AgentMode.CrossSell, null, Time.GetUtcNow(), "test", true)).ToList(),
            new Dictionary<string, double>());
        var ex = await Assert.ThrowsAsync<ModeConflictException>(() => Modes.ApplyAsync(ours, staleRead, "w3"));
        Assert.Equal("cards", ex.QueueId);

        var after = await Modes.GetQueueModesAsync("cards");
        Assert.All(after, s => Assert.Equal(AgentMode.ServiceOnly, s.State.Mode));
        Assert.DoesNotContain(after, s => s.WriteId == "w3");
    }

    [Fact]
    public async Task Two_writers_inserting_the_same_new_agent_cannot_both_win()
    {
        var d1 = Decide(QuietSnapshot("cards", 3), []);
        await Modes.ApplyAsync(d1, new Dictionary<string, StoredAgentMode>(), "w1");
        await Assert.ThrowsAsync<ModeConflictException>(() => Modes.ApplyAsync(d1, new Dictionary<string, StoredAgentMode>(), "w2"));
        Assert.All(await Modes.GetQueueModesAsync("cards"), s => Assert.Equal("w1", s.WriteId));
    }

    [Fact]
    public async Task An_agent_in_two_queues_reads_service_only_when_the_queue_it_is_not_indexed_under_has_an_emergency()
    {
        // The index followed only new agents and flips to cross-sell: once loans let the shared agent cross-sell, then
        // cards did, cards' row was the one read, and loans' emergency never reached the desktop.
        const string shared = "a-shared-agent";
        QueueSnapshot With(QueueSnapshot s) => s with { Agents = [new AgentPresence(shared, AgentState.Available), .. s.Agents] };
        var service = new RebalanceService(Snapshots, Rebalancer(), Runs, Time);
        await Snapshots.SaveLatestAsync(With(QuietSnapshot("loans", 4)));
        await service.RunAsync();

        Time.Advance(TimeSpan.FromMinutes(6)); // past the dwell
        await Snapshots.SaveLatestAsync(With(QuietSnapshot("loans", 4)));
        await Snapshots.SaveLatestAsync(With(QuietSnapshot("cards", 4)));
        await service.RunAsync();
        var before = (await Modes.GetAgentModeAsync(shared))!;
        Assert.Equal(AgentMode.CrossSell, before.Mode);

        Time.Advance(TimeSpan.FromMinutes(1));
        await Snapshots.SaveLatestAsync(With(QuietSnapshot("loans", 4, waiting: 12, oldestWait: 120)));
        await Snapshots.SaveLatestAsync(With(QuietSnapshot("cards", 4)));
        await service.RunAsync();

        var read = (await Modes.GetAgentModeAsync(shared))!;
        Assert.Equal(("loans", AgentMode.ServiceOnly), (read.QueueId, read.Mode));
    }

    [Fact]
    public async Task A_shared_agent_held_service_only_by_one_queue_is_not_let_cross_sell_by_the_other_until_it_leaves()
    {
        // The desktop read one row, the queue that flipped the agent last: cards letting a shared agent cross-sell put it
        // in cross-sell while loans, every agent on a call and callers waiting, still held it for service.
        const string shared = "a-shared-agent";
        var everyoneFree = QueueSettings.Default with { IdleReserve = 0 };
        QueueSnapshot Busy(bool withShared) => new("loans", Time.GetUtcNow().AddSeconds(-2), 4, 30,
            Enumerable.Range(0, 4).Select(i => new AgentPresence($"loans-{i}", AgentState.OnCall))
                .Concat(withShared ? [new AgentPresence(shared, AgentState.OnCall)] : []).ToList());
        QueueSnapshot Quiet() => QuietSnapshot("cards", 4) with { Agents = [new AgentPresence(shared, AgentState.Available), .. QuietSnapshot("cards", 4).Agents] };
        async Task Step(bool inLoans)
        {
            await Snapshots.SaveLatestAsync(Busy(inLoans));
            await Snapshots.SaveLatestAsync(Quiet());
            await Rebalancer().RebalanceAsync("loans");
            await Rebalancer(everyoneFree).RebalanceAsync("cards");
            Time.Advance(TimeSpan.FromMinutes(6)); // past the dwell
        }

        await Step(inLoans: true);
        await Step(inLoans: true);
        Assert.Equal(AgentMode.ServiceOnly, (await Modes.GetQueueModesAsync("loans")).Single(m => m.State.AgentId == shared).State.Mode);
        Assert.Equal(AgentMode.CrossSell, (await Modes.GetQueueModesAsync("cards")).Single(m => m.State.AgentId == shared).State.Mode);

        var held = (await Modes.GetAgentModeAsync(shared))!;
        Assert.Equal(("loans", AgentMode.ServiceOnly), (held.QueueId, held.Mode));
        Assert.Equal(["cards"], held.AlsoStaffedIn);

        // It logs out of loans: loans' rebalance records that, though its mode there stays, and cards decides alone.
        await Step(inLoans: false);
        var free = (await Modes.GetAgentModeAsync(shared))!;
        Assert.Equal(("cards", AgentMode.CrossSell), (free.QueueId, free.Mode));
        Assert.Empty(free.AlsoStaffedIn);
        Assert.False((await Modes.GetQueueModesAsync("loans")).Single(m => m.State.AgentId == shared).State.Staffed);
        var index = await Tables.GetAsync(Tables.Names.AgentIndex);
        var entry = (await index.GetEntityAsync<Azure.Data.Tables.TableEntity>(AgentModeStore.IndexPartition(shared), shared)).Value;
        Assert.Equal((false, true), ((bool)entry[AgentModeStore.MemberProperty("loans")], (bool)entry[AgentModeStore.MemberProperty("cards")])); // loans' row is no longer read

        // Back in loans: held again.
        await Step(inLoans: true);
        Assert.Equal(("loans", AgentMode.ServiceOnly), ((await Modes.GetAgentModeAsync(shared))!.QueueId, (await Modes.GetAgentModeAsync(shared))!.Mode));
    }

    [Fact]
    public async Task A_steady_queue_writes_no_staffing_and_a_row_from_before_the_flag_is_brought_up_to_date_once()
    {
        // Rows written before the staffed flag (null), and index entries without the queue list, as a deployed centre has them.
        var snapshot = QuietSnapshot("cards", 3);
        await Snapshots.SaveLatestAsync(snapshot);
        await Modes.ApplyAsync(Decide(snapshot, []), new Dictionary<string, StoredAgentMode>(), "w0");
        var index = await Tables.GetAsync(Tables.Names.AgentIndex);
        foreach (var a in snapshot.Agents)
        {
            await index.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(AgentModeStore.IndexPartition(a.AgentId), a.AgentId) { ["QueueId"] = "cards" },
                Azure.Data.Tables.TableUpdateMode.Replace);
        }

        Assert.All(await Modes.GetQueueModesAsync("cards"), m => Assert.Null(m.State.Staffed));

        var counter = new StorageRequestCounter(Time);
        var rebalancer = new QueueRebalancer(Snapshots, new AgentModeStore(Client(o => o.AddPolicy(counter, HttpPipelinePosition.PerCall))), Decisions,
            new DefaultQueueSettingsSource(QueueSettings.Default), new ModePolicy(), Time);
        await rebalancer.RebalanceAsync("cards");
        Assert.All(await Modes.GetQueueModesAsync("cards"), m => Assert.True(m.State.Staffed));
        var entry = await index.GetEntityAsync<Azure.Data.Tables.TableEntity>(AgentModeStore.IndexPartition("cards-agent0000"), "cards-agent0000");
        Assert.Equal(true, entry.Value[AgentModeStore.MemberProperty("cards")]);

        counter.Reset();
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 3));
        await rebalancer.RebalanceAsync("cards");
        Assert.Equal(0, counter.Load.Where(l => l.Resource == Tables.Names.AgentModes || l.Resource == Tables.Names.AgentIndex).Sum(l => l.WriteRequests));
    }

    [Fact]
    public void A_shared_agent_cross_sells_only_while_every_queue_its_answer_rests_on_is_being_rebalanced()
    {
        var now = Time.GetUtcNow();
        var state = new AgentModeState("a-shared-agent", "cards", AgentMode.CrossSell, now.AddMinutes(-10), "free", "d1") { AlsoStaffedIn = ["loans"] };
        var last = new RebalanceRunSummary(now.AddSeconds(-5), now.AddSeconds(-1), 2, 0, 1)
        {
            FailingQueues = new Dictionary<string, QueueFailure> { ["loans"] = new(now.AddMinutes(-3), now.AddSeconds(-10)) },
        };

        Assert.Contains("'loans'", RebalanceRunSummary.FailSafeReason(last, state, now, TimeSpan.FromMinutes(2)), StringComparison.Ordinal);
        Assert.Null(RebalanceRunSummary.FailSafeReason(last, state with { AlsoStaffedIn = [] }, now, TimeSpan.FromMinutes(2)));
    }
}
