using System.Text.Json;
using Azure.Core;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Supervision;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Balancing;
using CallBalancer.Functions.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// Overlapping rebalances, supervisors overriding during a rebalance and parallel webhook posters, on the production
/// stores, run once against Azurite and once against the strict in-memory service (subclasses below). Interleavings
/// that matter are forced at exact points with a <see cref="RequestGate"/> (a unit of work is held after it has read
/// and before it writes), the others are left to real thread concurrency. Every test ends by checking that nothing
/// was lost or recorded twice: each agent's flips are in the log exactly once, every mode points at a logged decision,
/// every event is counted once.
/// </summary>
public abstract class ConcurrencyTests(TableBackend backend) : BackendTestBase(backend)
{
    private const string Queue = "cards";

    private SupervisionStore Supervision => new(Tables);

    [Fact]
    public async Task Overlapping_rebalance_runs_record_every_flip_exactly_once()
    {
        // 150 agents: a decision takes two transactions (99 + 51, with the outbox row), so runs can also meet half-way.
        var flips = new Dictionary<string, int>(StringComparer.Ordinal);
        var before = new Dictionary<string, (AgentMode, AgentMode?)>(StringComparer.Ordinal);
        for (var round = 0; round < 4; round++)
        {
            await Snapshots.SaveLatestAsync(round % 2 == 0
                ? QuietSnapshot(Queue, 150)
                : QuietSnapshot(Queue, 150, waiting: 4, oldestWait: 75, state: AgentState.OnCall));
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var runs = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                return await Rebalancer().RebalanceAsync(Queue);
            })).ToList();
            start.SetResult();
            await Task.WhenAll(runs);

            var modes = await Modes.GetQueueModesAsync(Queue);
            Assert.Equal(150, modes.Count);
            foreach (var m in modes)
            {
                var now = (m.State.Mode, m.State.PendingMode);
                if (!before.TryGetValue(m.State.AgentId, out var was) || was != now)
                {
                    flips[m.State.AgentId] = flips.GetValueOrDefault(m.State.AgentId) + 1;
                }

                before[m.State.AgentId] = now;
            }

            await AssertLogMatchesAsync(flips, modes);
            Assert.Empty(await OutboxRowsAsync());
            Assert.All(await Decisions.ListRecentAsync(Queue, 1000), d => Assert.Null(d.RecoveredAt));
            Time.Advance(TimeSpan.FromMinutes(6));
        }

        Assert.Equal(150, flips.Count);
        Assert.True(flips.Values.Sum() > 300, "the rounds must actually have flipped agents back and forth");
    }

    [Fact]
    public async Task A_rebalance_that_read_before_a_newer_decision_never_overwrites_it()
    {
        // Everyone service-only after an emergency, then the queue goes quiet.
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 60, waiting: 4, oldestWait: 75, state: AgentState.OnCall));
        var first = await Rebalancer().RebalanceAsync(Queue);
        Time.Advance(TimeSpan.FromMinutes(6));
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 60));

        // A reads the quiet queue and is held before it decides and writes.
        var gate = new RequestGate(RequestGate.QueryOf(Prefix + "AgentModes"));
        var a = Task.Run(() => RebalancerOn(Client(o => o.AddPolicy(gate, HttpPipelinePosition.PerCall))).RebalanceAsync(Queue));
        await gate.Reached;

        // Meanwhile B lets agents cross-sell, then an emergency arrives and C pulls them all back.
        var b = await Rebalancer().RebalanceAsync(Queue);
        Assert.Contains(b.Agents, x => x.Mode == AgentMode.CrossSell);
        Time.Advance(TimeSpan.FromSeconds(5));
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 60, waiting: 6, oldestWait: 90, state: AgentState.OnCall));
        var c = await Rebalancer().RebalanceAsync(Queue);
        Assert.Equal("emergency-wait", c.Rule);

        gate.Release();
        var late = await a;

        // A's stale cross-sell decision must not land on top of the emergency: its write fails on the ETags it read,
        // it re-reads, sees the emergency and has nothing to change.
        Assert.False(late.HasChanges);
        var modes = await Modes.GetQueueModesAsync(Queue);
        Assert.All(modes, m => Assert.Equal(AgentMode.ServiceOnly, m.State.Mode));
        var log = await Decisions.ListRecentAsync(Queue, 100);
        Assert.Equal(new[] { c.DecisionId, b.DecisionId, first.DecisionId }.Order(), log.Select(d => d.DecisionId).Order());
        await AssertLogMatchesAsync(
            modes.ToDictionary(m => m.State.AgentId, m => 1 + new[] { b, c }.Count(d => d.Changes.Any(x => x.AgentId == m.State.AgentId)), StringComparer.Ordinal),
            modes);
    }

    [Fact]
    public async Task A_rebalance_whose_second_transaction_loses_logs_only_what_it_wrote()
    {
        // A writes the first 99 of 150 new agents and is held; B then decides the other 51 and writes them first.
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 150));
        var gate = new RequestGate(RequestGate.TransactionOn(Prefix + "AgentModes"));
        var a = Task.Run(() => RebalancerOn(Client(o => o.AddPolicy(gate, HttpPipelinePosition.PerCall))).RebalanceAsync(Queue));
        await gate.Reached;
        Assert.Equal(99, (await Modes.GetQueueModesAsync(Queue)).Count);
        var b = await Rebalancer().RebalanceAsync(Queue);
        Assert.Equal(51, b.Changes.Count());

        gate.Release();
        await a;

        // A's second transaction failed (B's inserts were first); its first one stands and is logged, but only the
        // 99 agents it wrote (with its outbox row): the log names each agent's first mode once.
        var modes = await Modes.GetQueueModesAsync(Queue);
        Assert.Equal(150, modes.Count);
        await AssertLogMatchesAsync(modes.ToDictionary(m => m.State.AgentId, _ => 1, StringComparer.Ordinal), modes);
        Assert.Empty(await OutboxRowsAsync());
    }

    [Theory]
    [InlineData(60)]
    [InlineData(150)]
    public async Task A_rebalance_that_dies_between_its_mode_write_and_its_log_write_is_logged_by_a_later_run(int agents)
    {
        // A writes its modes (150 agents: two transactions) and never gets to its log write: it is held before the
        // request is sent, as if the host were recycled there.
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, agents));
        var gate = new RequestGate(DecisionLogWrite(), holdResponse: false);
        var a = Task.Run(() => RebalancerOn(Client(o => o.AddPolicy(gate, HttpPipelinePosition.PerCall))).RebalanceAsync(Queue));
        await gate.Reached;
        var written = await Modes.GetQueueModesAsync(Queue);
        Assert.Equal(agents, written.Count);
        var crashed = Assert.Single(written.Select(m => m.State.DecisionId).Distinct());
        Assert.Equal(crashed, Assert.Single(await OutboxRowsAsync()).GetString("DecisionId"));

        // A run soon after leaves the row alone: A may only be slow. The modes point at an unlogged decision meanwhile.
        Time.Advance(TimeSpan.FromSeconds(15));
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, agents));
        Assert.False((await Rebalancer().RebalanceAsync(Queue)).HasChanges);
        Assert.Empty(await Decisions.ListRecentAsync(Queue, 100));
        Assert.Single(await OutboxRowsAsync());

        // Once the row is older than the grace, the next run logs A's decision with every change A wrote and clears it.
        Time.Advance(DecisionOutbox.RecoverAfter);
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, agents));
        Assert.False((await Rebalancer().RebalanceAsync(Queue)).HasChanges);
        var modes = await Modes.GetQueueModesAsync(Queue);
        var recovered = Assert.Single(await Decisions.ListRecentAsync(Queue, 100));
        Assert.Equal(crashed, recovered.DecisionId);
        Assert.Equal(Time.GetUtcNow(), recovered.RecoveredAt);
        await AssertLogMatchesAsync(modes.ToDictionary(m => m.State.AgentId, _ => 1, StringComparer.Ordinal), modes);
        Assert.Empty(await OutboxRowsAsync());

        // A coming back late appends the same record again: the first one stands, once.
        gate.Release();
        Assert.Equal(crashed, (await a).DecisionId);
        Assert.Equal(crashed, Assert.Single(await Decisions.ListRecentAsync(Queue, 100)).DecisionId);
        await AssertLogMatchesAsync(modes.ToDictionary(m => m.State.AgentId, _ => 1, StringComparer.Ordinal), modes);
        Assert.Empty(await OutboxRowsAsync());
    }

    [Theory]
    [InlineData(false)] // the log answers 503
    [InlineData(true)] // the log's connections reset: before, that exception escaped the recovery and held the emergency up
    public async Task An_emergency_is_not_held_up_by_a_decision_log_that_cannot_take_a_recovered_record(bool connectionReset)
    {
        // A lets agents cross-sell and dies before its log write.
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 60));
        var logWrite = DecisionLogWrite();
        var gate = new RequestGate(logWrite, holdResponse: false);
        var a = Task.Run(() => RebalancerOn(Client(o => o.AddPolicy(gate, HttpPipelinePosition.PerCall))).RebalanceAsync(Queue));
        await gate.Reached;
        var crossSelling = (await Modes.GetQueueModesAsync(Queue)).Where(m => m.State.Mode == AgentMode.CrossSell).Select(m => m.State.AgentId).ToHashSet();
        Assert.NotEmpty(crossSelling);

        // Past the grace a caller waits past the emergency limit while the decision log refuses every write: the run
        // cannot recover A's record, and pulls every agent back all the same (its own log write then fails too).
        Time.Advance(DecisionOutbox.RecoverAfter + TimeSpan.FromSeconds(15));
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 60, waiting: 6, oldestWait: 90, state: AgentState.OnCall));
        var logDown = new FailingRequests(logWrite, connectionReset);
        var failed = await Record.ExceptionAsync(() => RebalancerOn(Client(o =>
        {
            o.Retry.Delay = TimeSpan.FromMilliseconds(1);
            o.AddPolicy(logDown, HttpPipelinePosition.PerRetry);
        })).RebalanceAsync(Queue));
        Assert.NotNull(failed); // its own log write fails too
        if (!connectionReset)
        {
            Assert.IsType<Azure.RequestFailedException>(failed);
        }

        Assert.True(logDown.Failed >= 2, "both the recovery and the emergency's own log write must have been tried");
        var modes = await Modes.GetQueueModesAsync(Queue);
        Assert.All(modes, m => Assert.Equal(AgentMode.ServiceOnly, m.State.Mode));
        Assert.Equal(2, (await OutboxRowsAsync()).Count);

        // With the log back, later runs log both records, each once the grace has passed for it.
        await Rebalancer().RebalanceAsync(Queue);
        Assert.Single(await OutboxRowsAsync());
        Time.Advance(DecisionOutbox.RecoverAfter);
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 60, waiting: 6, oldestWait: 90, state: AgentState.OnCall));
        await Rebalancer().RebalanceAsync(Queue);
        Assert.Empty(await OutboxRowsAsync());
        Assert.All(await Decisions.ListRecentAsync(Queue, 100), d => Assert.NotNull(d.RecoveredAt));
        modes = await Modes.GetQueueModesAsync(Queue);
        await AssertLogMatchesAsync(modes.ToDictionary(m => m.State.AgentId, m => crossSelling.Contains(m.State.AgentId) ? 2 : 1, StringComparer.Ordinal), modes);

        gate.Release();
        await a;
        Assert.Equal(2, (await Decisions.ListRecentAsync(Queue, 100)).Count);
    }

    [Property(MaxTest = 15)]
    public Property A_writer_that_dies_after_any_of_its_transactions_is_logged_with_exactly_the_agents_it_wrote(int seed)
    {
        // A new queue of 1 to 320 agents: a first decision that inserts them all in up to 4 transactions. The writer
        // dies (every later request fails, and nothing retries it) after its k-th modes transaction; k = all of them
        // is a death before the log write.
        var random = new Random(seed);
        var agents = random.Next(1, 321);
        var transactions = (agents + 98) / 99;
        var survives = random.Next(1, transactions + 1);
        var queue = $"crash{agents}x{survives}n{Guid.NewGuid().ToString("N")[..6]}";
        Snapshots.SaveLatestAsync(QuietSnapshot(queue, agents)).GetAwaiter().GetResult();
        var death = new DeathAfter(RequestGate.TransactionOn(Prefix + "AgentModes"), survives);
        var died = Record.Exception(() => RebalancerOn(Client(o => o.AddPolicy(death, HttpPipelinePosition.PerCall))).RebalanceAsync(queue).GetAwaiter().GetResult());

        Time.Advance(DecisionOutbox.RecoverAfter);
        Snapshots.SaveLatestAsync(QuietSnapshot(queue, agents)).GetAwaiter().GetResult();
        Rebalancer().RebalanceAsync(queue).GetAwaiter().GetResult();

        var modes = Modes.GetQueueModesAsync(queue).GetAwaiter().GetResult();
        var log = Decisions.ListRecentAsync(queue, 100).GetAwaiter().GetResult();
        var outbox = OutboxRowsAsync(queue).GetAwaiter().GetResult().Count;
        var recovered = log.SingleOrDefault(d => d.RecoveredAt is not null);
        var crashed = modes.Where(m => m.State.DecisionId == recovered?.DecisionId).Select(m => m.State.AgentId).Order().ToList();
        var named = log.SelectMany(d => d.Changes).Select(c => c.AgentId).ToList();

        // What the dead writer wrote is logged, exactly; the next run gives the other agents their first mode itself.
        return (died is DeathException
                && recovered is not null
                && crashed.Count == Math.Min(agents, survives * 99)
                && recovered.Changes.Select(c => c.AgentId).Order().SequenceEqual(crashed)
                && modes.Count == agents
                && named.Count == agents && named.Distinct().Count() == agents
                && outbox == 0)
            .Label($"{agents} agents, died after {survives} of {transactions} transactions: {modes.Count} modes, log {string.Join(",", log.Select(d => d.Changes.Count))}, outbox {outbox}, {died?.GetType().Name}");
    }

    [Fact]
    public async Task A_writer_that_stalls_between_its_transactions_past_the_grace_writes_nothing_more_under_its_recovered_decision()
    {
        // 150 agents on record, service-only; the queue goes quiet and A lets 147 cross-sell: two transactions. A writes
        // the first 99 and stalls before its second transaction goes out.
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 150, waiting: 4, oldestWait: 75, state: AgentState.OnCall));
        await SupervisedRebalancer(Tables, QueueSettings.Default).RebalanceAsync(Queue);
        Time.Advance(TimeSpan.FromMinutes(6));
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 150));
        var transactions = 0;
        var modesTransaction = RequestGate.TransactionOn(Prefix + "AgentModes");
        var gate = new RequestGate(r => modesTransaction(r) && Interlocked.Increment(ref transactions) == 2, holdResponse: false);
        var a = Task.Run(() => SupervisedRebalancer(Client(o => o.AddPolicy(gate, HttpPipelinePosition.PerCall)), QueueSettings.Default).RebalanceAsync(Queue));
        await gate.Reached;
        var stalled = Assert.Single((await OutboxRowsAsync()).Select(r => r.GetString("DecisionId")));
        Assert.Equal(99, (await Modes.GetQueueModesAsync(Queue)).Count(m => m.State.DecisionId == stalled));

        // Past the grace, with the queue frozen meanwhile, another run logs the 99 changes A wrote and changes nothing.
        Time.Advance(DecisionOutbox.RecoverAfter + TimeSpan.FromSeconds(1));
        await Supervision.SetOverrideAsync(new ModeOverride("freeze", Queue, OverrideScope.Freeze, null, null, null, "audit visit", "sue", Time.GetUtcNow()), "audit visit");
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 150));
        Assert.False((await SupervisedRebalancer(Tables, QueueSettings.Default).RebalanceAsync(Queue)).HasChanges);
        Assert.Equal(99, Assert.Single(await Decisions.ListRecentAsync(Queue, 100), d => d.DecisionId == stalled).Changes.Count);
        Assert.Empty(await OutboxRowsAsync());

        // A's second transaction then finds its outbox row gone (nothing else of it conflicts), so it writes none of
        // its other 48 agents under the closed record; it re-reads, sees the freeze and leaves them.
        gate.Release();
        Assert.False((await a).HasChanges);
        var modes = await Modes.GetQueueModesAsync(Queue);
        Assert.Equal(99, modes.Count(m => m.State.Mode == AgentMode.CrossSell));
        await AssertLogMatchesAsync(
            modes.ToDictionary(m => m.State.AgentId, m => m.State.Mode == AgentMode.CrossSell ? 2 : 1, StringComparer.Ordinal), modes);
        Assert.Empty(await OutboxRowsAsync());
    }

    [Fact]
    public async Task A_rebalance_retrying_after_a_supervisor_override_honours_the_override()
    {
        // No dwell, so a re-decision is free to move agents at once.
        var settings = QueueSettings.Default with { MinDwellSeconds = 0 };
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 40, waiting: 4, oldestWait: 75, state: AgentState.OnCall));
        await SupervisedRebalancer(Tables, settings).RebalanceAsync(Queue);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 40));

        // A reads (no override yet) and is held; a supervisor forces the queue to cross-sell; B enforces it.
        var gate = new RequestGate(RequestGate.QueryOf(Prefix + "AgentModes"));
        var a = Task.Run(() => SupervisedRebalancer(Client(o => o.AddPolicy(gate, HttpPipelinePosition.PerCall)), settings).RebalanceAsync(Queue));
        await gate.Reached;
        await Supervision.SetOverrideAsync(new ModeOverride("queue", Queue, OverrideScope.Queue, null, AgentMode.CrossSell, null, "campaign", "sue", Time.GetUtcNow()), "campaign");
        var b = await SupervisedRebalancer(Tables, settings).RebalanceAsync(Queue);
        Assert.All(b.Agents, x => Assert.Equal(AgentMode.CrossSell, x.Mode));

        // A's first write fails on B's ETags; its retry must decide with the override it now reads, not the state it
        // read before it, so it keeps every agent cross-selling instead of pulling its idle reserve back.
        gate.Release();
        await a;
        var modes = await Modes.GetQueueModesAsync(Queue);
        Assert.All(modes, m => Assert.Equal(AgentMode.CrossSell, m.State.Mode));
        Assert.False((await SupervisedRebalancer(Tables, settings).RebalanceAsync(Queue)).HasChanges);
        Assert.Single(await Supervision.ListAuditAsync(Queue, 10));
        await AssertLogMatchesAsync(modes.ToDictionary(m => m.State.AgentId, _ => 2, StringComparer.Ordinal), modes);
    }

    [Fact]
    public async Task Supervisors_overriding_during_rebalances_lose_no_override_and_no_audit_record()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 40));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rebalances = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < 3; i++)
            {
                await SupervisedRebalancer(Tables, QueueSettings.Default).RebalanceAsync(Queue);
            }
        })).ToList();

        // 8 supervisors force 3 agents each to service-only, and all of them race to set the one freeze.
        var freezeWins = 0;
        var freezeConflicts = 0;
        var supervisors = Enumerable.Range(0, 8).Select(s => Task.Run(async () =>
        {
            await start.Task;
            var store = new SupervisionStore(Client());
            for (var k = 0; k < 3; k++)
            {
                var agent = $"{Queue}-agent{(s * 3) + k:D4}";
                await store.SetOverrideAsync(new ModeOverride(ModeOverride.IdFor(OverrideScope.Agent, agent), Queue, OverrideScope.Agent, agent,
                    AgentMode.ServiceOnly, null, "coaching", $"sup{s}", Time.GetUtcNow()), "coaching");
            }

            try
            {
                await store.SetOverrideAsync(new ModeOverride("freeze", Queue, OverrideScope.Freeze, null, null, null, "audit visit", $"sup{s}", Time.GetUtcNow()), "audit visit");
                Interlocked.Increment(ref freezeWins);
            }
            catch (SupervisionConflictException)
            {
                Interlocked.Increment(ref freezeConflicts);
            }
        })).ToList();
        start.SetResult();
        await Task.WhenAll(rebalances.Concat(supervisors));

        // Every override and every successful change is there, audited once.
        var supervision = await Supervision.GetAsync(Queue);
        Assert.Equal(25, supervision.Overrides.Count);
        Assert.Equal(8, freezeWins + freezeConflicts);
        Assert.True(freezeWins >= 1);
        Assert.Equal(24 + freezeWins, (await Supervision.ListAuditAsync(Queue, 1000)).Count);

        // The next rebalance after the storm enforces them all; the state is consistent and explained.
        Time.Advance(TimeSpan.FromMinutes(6));
        await Snapshots.SaveLatestAsync(QuietSnapshot(Queue, 40));
        await SupervisedRebalancer(Tables, QueueSettings.Default).RebalanceAsync(Queue);
        var modes = await Modes.GetQueueModesAsync(Queue);
        Assert.All(modes.Where(m => int.Parse(m.State.AgentId[^4..], System.Globalization.CultureInfo.InvariantCulture) < 24),
            m => Assert.Equal(AgentMode.ServiceOnly, m.State.Mode));
        var logged = (await Decisions.ListRecentAsync(Queue, 1000)).Select(d => d.DecisionId).ToHashSet();
        Assert.All(modes, m => Assert.Contains(m.State.DecisionId, logged));
    }

    [Fact]
    public async Task Eight_parallel_webhook_posters_with_interleaved_duplicates_count_every_event_once()
    {
        var options = new TelephonyOptions();
        var ingestor = new TelephonyIngestor(new CallProgressStore(Tables, options), new AgentStateStore(Tables), Snapshots, new IntervalStore(Tables, options), new AgentQueueMonthStore(Tables), options);
        var function = new TelephonyEventsFunction(ingestor, new WebhookSignature(Time), Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), Time,
            NullLogger<TelephonyEventsFunction>.Instance);

        // 450 distinct events of 150 calls in 2 queues; each poster sends its share plus 40% of everyone else's,
        // shuffled, in batches of 1 to 60, so most events arrive several times and at the same moment.
        var random = new Random(9);
        var events = new List<(string Id, string Type, DateTimeOffset At, string Queue, string Call, string Extra)>();
        var start = Time.GetUtcNow().AddHours(-2);
        for (var i = 0; i < 150; i++)
        {
            var queue = i % 2 == 0 ? "cards" : "loans";
            var at = start.AddSeconds(random.Next(0, 3600));
            var call = $"call{i:D4}";
            events.Add(($"{call}-arr", "call.arrived", at, queue, call, string.Empty));
            events.Add(i % 5 == 0
                ? ($"{call}-abn", "call.abandoned", at.AddSeconds(30), queue, call, string.Empty)
                : ($"{call}-ans", "call.answered", at.AddSeconds(i % 40), queue, call, $",\"waitSeconds\":{i % 40}"));
            events.Add(($"{call}-end", "call.ended", at.AddSeconds(300), queue, call, ",\"handleSeconds\":200"));
        }

        string Json((string Id, string Type, DateTimeOffset At, string Queue, string Call, string Extra) e) =>
            $$"""{"eventId":"{{e.Id}}","type":"{{e.Type}}","occurredAt":"{{e.At:O}}","queueId":"{{e.Queue}}","callId":"{{e.Call}}"{{e.Extra}}}""";

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posters = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            var r = new Random(p);
            var mine = events.Where((_, i) => i % 8 == p || r.NextDouble() < 0.4).OrderBy(_ => r.Next()).ToList();
            var answers = new List<(string EventId, string Status)>();
            await gate.Task;
            for (var i = 0; i < mine.Count;)
            {
                var size = Math.Min(r.Next(1, 61), mine.Count - i);
                var result = await function.RunAsync(Requests.Json("{\"events\":[" + string.Join(',', mine.Skip(i).Take(size).Select(Json)) + "]}"));
                Assert.Equal(200, Requests.Status(result));
                answers.AddRange(Requests.Body(result).GetProperty("results").EnumerateArray()
                    .Select(x => (x.GetProperty("eventId").GetString()!, x.GetProperty("status").GetString()!)));
                i += size;
            }

            return answers;
        })).ToList();
        gate.SetResult();
        var answered = (await Task.WhenAll(posters)).SelectMany(a => a).ToList();

        // Each event accepted exactly once across all posters; every other copy answered duplicate.
        var accepted = answered.Where(a => a.Status == "accepted").Select(a => a.EventId).ToList();
        Assert.Equal(events.Count, accepted.Count);
        Assert.Equal(events.Count, accepted.Distinct(StringComparer.Ordinal).Count());
        Assert.All(answered, a => Assert.Contains(a.Status, new[] { "accepted", "duplicate" }));

        var intervals = new IntervalStore(Tables, options);
        foreach (var queue in new[] { "cards", "loans" })
        {
            var mine = events.Where(e => e.Queue == queue).ToList();
            var day = await intervals.GetDayAsync(queue, DateOnly.FromDateTime(start.UtcDateTime));
            var next = await intervals.GetDayAsync(queue, DateOnly.FromDateTime(start.UtcDateTime).AddDays(1));
            var total = day.Concat(next).Aggregate(IntervalCounts.Zero, (acc, i) => acc + i.Counts);
            Assert.Equal(mine.Count(e => e.Type == "call.arrived"), total.Arrivals);
            Assert.Equal(mine.Count(e => e.Type == "call.answered"), total.Answered);
            Assert.Equal(mine.Count(e => e.Type == "call.abandoned"), total.Abandoned);
            Assert.Equal(mine.Count(e => e.Type == "call.ended"), total.HandledCalls);
        }
    }

    [Fact]
    public async Task Eight_parallel_snapshot_posters_leave_the_newest_snapshot_and_never_answer_5xx()
    {
        var function = new QueueSnapshotFunction(Snapshots, Time, NullLogger<QueueSnapshotFunction>.Instance);
        var now = Time.GetUtcNow();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posters = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            var r = new Random(100 + p);
            var statuses = new List<int>();
            await gate.Task;
            for (var i = 0; i < 25; i++)
            {
                // waitingCalls encodes the offset, so the stored snapshot shows which post won.
                var offset = r.Next(1, 600);
                var body = JsonSerializer.Serialize(new
                {
                    observedAt = now.AddSeconds(-offset),
                    waitingCalls = offset,
                    oldestWaitSeconds = 0,
                    agents = new[] { new { agentId = "a1", state = "available" } },
                });
                statuses.Add(Requests.Status(await function.RunAsync(Requests.Json(body), Queue)));
            }

            return statuses;
        })).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(posters);

        Assert.All(results.SelectMany(r => r), s => Assert.Equal(202, s));
        var offsets = Enumerable.Range(0, 8).SelectMany(p =>
        {
            var r = new Random(100 + p);
            return Enumerable.Range(0, 25).Select(_ => r.Next(1, 600));
        }).ToList();
        var stored = await Snapshots.GetLatestAsync(Queue);
        Assert.Equal(offsets.Min(), stored!.WaitingCalls);
        Assert.Equal(now.AddSeconds(-offsets.Min()), stored.ObservedAt);
    }

    /// <summary>The outbox rows of a queue's modes partition, read straight from the table.</summary>
    private async Task<List<Azure.Data.Tables.TableEntity>> OutboxRowsAsync(string queue = Queue)
    {
        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var e in Tables.Service.GetTableClient(Prefix + "AgentModes").QueryAsync<Azure.Data.Tables.TableEntity>(x => x.PartitionKey == queue))
        {
            if (DecisionOutbox.IsOutboxRow(e.RowKey))
            {
                rows.Add(e);
            }
        }

        return rows;
    }

    /// <summary>Matches the append to this month's decision log (a single-entity <c>POST {table}</c>).</summary>
    private Func<Request, bool> DecisionLogWrite()
    {
        var table = "/" + Tables.Names.DecisionsFor(Time.GetUtcNow());
        return r => r.Method == RequestMethod.Post && r.Uri.Path.EndsWith(table, StringComparison.Ordinal);
    }

    private QueueRebalancer RebalancerOn(CallBalancerTables tables) =>
        new(new SnapshotStore(tables), new AgentModeStore(tables), new DecisionStore(tables, Time), new DefaultQueueSettingsSource(QueueSettings.Default),
            new ModePolicy(), Time, new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 });

    private QueueRebalancer SupervisedRebalancer(CallBalancerTables tables, QueueSettings settings) =>
        new(new SnapshotStore(tables), new AgentModeStore(tables), new DecisionStore(tables, Time), new DefaultQueueSettingsSource(settings),
            new ModePolicy(), Time, new RebalanceRetryOptions { Delay = TimeSpan.Zero, MaxAttempts = 10 }, supervision: new SupervisionStore(tables));

    /// <summary>
    /// The decision log names each agent exactly as often as its stored mode changed (no flip lost, none twice), and
    /// every stored mode points at a logged decision that set that mode.
    /// </summary>
    private async Task AssertLogMatchesAsync(IReadOnlyDictionary<string, int> expectedFlips, IReadOnlyList<StoredAgentMode> modes)
    {
        var log = await Decisions.ListRecentAsync(Queue, 1000);
        Assert.Equal(log.Count, log.Select(d => d.DecisionId).Distinct(StringComparer.Ordinal).Count());
        var logged = log.SelectMany(d => d.Changes).GroupBy(c => c.AgentId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (agent, count) in expectedFlips)
        {
            Assert.True(logged.GetValueOrDefault(agent) == count, $"{Backend}: agent {agent} changed {count} times but the log names it {logged.GetValueOrDefault(agent)} times");
        }

        Assert.Equal(expectedFlips.Values.Sum(), logged.Values.Sum());
        var byId = log.ToDictionary(d => d.DecisionId, StringComparer.Ordinal);
        foreach (var m in modes)
        {
            Assert.True(byId.TryGetValue(m.State.DecisionId, out var d), $"{Backend}: agent {m.State.AgentId} points at unlogged decision {m.State.DecisionId}");
            var change = Assert.Single(d!.Changes, c => c.AgentId == m.State.AgentId);
            Assert.Equal(m.State.Mode.ToName(), change.Mode);
        }
    }

    /// <summary>The writer's death: after <paramref name="survives"/> matching requests, every request fails.</summary>
    private sealed class DeathAfter(Func<Azure.Core.Request, bool> matches, int survives) : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _seen;

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (Volatile.Read(ref _seen) >= survives)
            {
                throw new DeathException();
            }

            await ProcessNextAsync(message, pipeline);
            if (matches(message.Request))
            {
                Interlocked.Increment(ref _seen);
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
    }

    private sealed class DeathException : Exception;

    /// <summary>
    /// Fails every matching request before it is sent: with a 503, as an unavailable table would, or with a connection
    /// reset (<paramref name="connectionReset"/>), which the SDK gives up on with no <see cref="Azure.RequestFailedException"/>.
    /// </summary>
    private sealed class FailingRequests(Func<Azure.Core.Request, bool> matches, bool connectionReset = false) : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (matches(message.Request))
            {
                Interlocked.Increment(ref _failed);
                throw connectionReset
                    ? new IOException("injected: connection reset")
                    : new Azure.RequestFailedException(503, "injected: the decision log is unavailable");
            }

            return ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
    }
}
