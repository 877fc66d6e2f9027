using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallBalancer.Integration.Tests.Observability;

/// <summary>
/// The metrics the app exports (OpenTelemetry, to Azure Monitor in the cloud), read with a <see cref="System.Diagnostics.Metrics.MeterListener"/>
/// while the real code runs on Azurite: flips, decisions, predicted and actual service level, forecast error, webhook
/// outcomes and ingested events. The meter is process-wide, so these tests run on their own (no other test records meanwhile).
/// </summary>
[Collection(TelemetryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TelemetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _prefix = "m" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly TelephonyOptions _telephony = new() { IntervalMinutes = 60, AnswerTargetSeconds = 20 };
    private CallBalancerTables _tables = null!;

    public Task InitializeAsync()
    {
        _tables = new CallBalancerTables(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = _prefix });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await foreach (var table in _tables.Service.QueryAsync(t => t.Name.CompareTo(_prefix) >= 0 && t.Name.CompareTo(_prefix + "~") < 0))
        {
            await _tables.Service.DeleteTableAsync(table.Name);
        }
    }

    [Fact]
    public async Task A_rebalance_run_measures_each_flip_by_queue_and_mode_its_decision_and_its_duration()
    {
        using var metrics = new MetricRecorder();
        var snapshots = new SnapshotStore(_tables);
        await snapshots.SaveLatestAsync(new QueueSnapshot("cards", _time.GetUtcNow(), 0, 0,
            Enumerable.Range(0, 4).Select(i => new AgentPresence($"cards-a{i}", AgentState.Available)).ToList()));
        var service = new RebalanceService(snapshots, new QueueRebalancer(snapshots, new AgentModeStore(_tables), new DecisionStore(_tables, _time),
            new DefaultQueueSettingsSource(QueueSettings.Default), new ModePolicy(), _time), new RunStore(_tables), _time);

        var run = await service.RunAsync();

        var modes = await new AgentModeStore(_tables).GetQueueModesAsync("cards");
        Assert.Equal(4, run.Flips);
        foreach (var mode in new[] { AgentMode.CrossSell, AgentMode.ServiceOnly })
        {
            var flips = metrics.Of("callbalancer.mode.flips", ("queue", "cards"), ("mode", mode.ToName()));
            Assert.Equal(modes.Count(m => m.State.Mode == mode), flips.Sum(m => m.Value));
        }

        var decision = Assert.Single(metrics.Of("callbalancer.decisions"));
        Assert.Equal(1, decision.Value);
        Assert.True(decision.Tags.ContainsKey("rule"));
        Assert.Single(metrics.Of("callbalancer.rebalance.duration"));

        // A second run with nothing new flips nothing.
        await service.RunAsync();
        Assert.Equal(4, metrics.Of("callbalancer.mode.flips", ("queue", "cards")).Sum(m => m.Value));
    }

    [Fact]
    public async Task Each_flip_is_logged_with_its_agent_queue_mode_rule_and_the_decision_id_stored_with_the_mode()
    {
        var snapshots = new SnapshotStore(_tables);
        await snapshots.SaveLatestAsync(new QueueSnapshot("logq", _time.GetUtcNow(), 0, 0,
            Enumerable.Range(0, 3).Select(i => new AgentPresence($"logq-a{i}", AgentState.Available)).ToList()));
        var modes = new AgentModeStore(_tables);
        var service = new RebalanceService(snapshots, new QueueRebalancer(snapshots, modes, new DecisionStore(_tables, _time),
            new DefaultQueueSettingsSource(QueueSettings.Default), new ModePolicy(), _time), new RunStore(_tables), _time);
        var logger = new CapturingLogger<CallBalancer.Functions.Balancing.RebalanceTimerFunction>();
        var timer = new CallBalancer.Functions.Balancing.RebalanceTimerFunction(service, Microsoft.Extensions.Options.Options.Create(new CallBalancer.Functions.RebalanceOptions()),
            new StorageRebalanceWorkQueue(new StorageOptions { ConnectionString = azurite.ConnectionString }, "unused"), logger);

        await timer.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo());

        var stored = await modes.GetQueueModesAsync("logq");
        Assert.Equal(3, stored.Count);
        foreach (var m in stored)
        {
            var line = Assert.Single(logger.Entries, e => e.State.TryGetValue("AgentId", out var a) && (string?)a == m.State.AgentId);
            Assert.Equal(m.State.DecisionId, line.State["DecisionId"]);
            Assert.Equal("logq", line.State["QueueId"]);
            Assert.Equal(m.State.Mode.ToName(), line.State["Mode"]);
            Assert.False(string.IsNullOrEmpty((string?)line.State["Rule"]));
        }
    }

    [Fact]
    public void A_decision_with_a_predicted_service_level_records_it_for_its_queue()
    {
        using var metrics = new MetricRecorder();
        var inputs = new Dictionary<string, double> { ["predictedServiceLevelBefore"] = 0.91, ["predictedServiceLevelAfter"] = 0.83 };
        CallBalancerTelemetry.RecordDecision(new ModeDecision("d1", "loans", _time.GetUtcNow(), "forecast-capacity", "why", 2, [], inputs));
        CallBalancerTelemetry.RecordDecision(new ModeDecision("d2", "loans", _time.GetUtcNow(), "idle-reserve", "why", 1, [], new Dictionary<string, double>()));

        var recorded = Assert.Single(metrics.Of("callbalancer.service_level.predicted", ("queue", "loans")));
        Assert.Equal(0.83, recorded.Value);
        Assert.Equal(2, metrics.Of("callbalancer.decisions").Count);
    }

    [Fact]
    public async Task The_forecast_refresh_records_each_completed_intervals_actual_service_level_once_and_the_forecast_error()
    {
        using var metrics = new MetricRecorder();
        var snapshots = new SnapshotStore(_tables);
        await snapshots.SaveLatestAsync(new QueueSnapshot("fq", _time.GetUtcNow(), 0, 0, [new AgentPresence("fq-a", AgentState.Available)]));
        var ingestor = new TelephonyIngestor(new CallProgressStore(_tables, _telephony), new AgentStateStore(_tables), snapshots,
            new IntervalStore(_tables, _telephony), new AgentQueueMonthStore(_tables), _telephony);
        var day1 = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

        // 09:00: four answers waiting 5, 10, 30 and 60 s against a 20 s target (service level 0.5); 10:00: one within it (1.0).
        var waits = new[] { 5, 10, 30, 60 };
        await ingestor.IngestAsync(waits.Select((w, i) => new TelephonyEvent($"a{i}", TelephonyEventKind.CallAnswered, day1.AddHours(9).AddMinutes(i), "fq")
            { CallId = $"c{i}", WaitSeconds = w }).Append(new TelephonyEvent("a9", TelephonyEventKind.CallAnswered, day1.AddHours(10).AddMinutes(1), "fq")
            { CallId = "c9", WaitSeconds = 3 }).ToList());
        await ingestor.IngestAsync(Enumerable.Range(0, 12).Select(i => new TelephonyEvent($"r{i}", TelephonyEventKind.CallArrived, day1.AddHours(9).AddMinutes(i), "fq")
            { CallId = $"c{i}" }).ToList());
        var service = new ForecastService(new ForecastStore(_tables), new IntervalStore(_tables, _telephony), snapshots, _telephony,
            new ForecastOptions { HorizonMinutes = 240 }, _time);

        _time.SetUtcNow(day1.AddHours(11).AddMinutes(5));
        await service.RefreshAllAsync();
        Assert.Equal(new[] { 0.5, 1.0 }, metrics.Of("callbalancer.service_level.actual", ("queue", "fq")).Select(m => m.Value).Order());

        // Refreshing again records nothing twice; the next day, with a profile learnt, completed intervals are scored.
        await service.RefreshAllAsync();
        Assert.Equal(2, metrics.Of("callbalancer.service_level.actual", ("queue", "fq")).Count);
        Assert.Empty(metrics.Of("callbalancer.forecast.absolute_error", ("queue", "fq")));
        _time.SetUtcNow(day1.AddDays(1).AddHours(10).AddMinutes(5));
        await ingestor.IngestAsync([new TelephonyEvent("n1", TelephonyEventKind.CallArrived, day1.AddDays(1).AddHours(9).AddMinutes(3), "fq") { CallId = "n1" }]);
        var scored = await service.RefreshAllAsync();
        Assert.NotEmpty(scored);
        var errors = metrics.Of("callbalancer.forecast.absolute_error", ("queue", "fq"));
        Assert.Equal(scored.Select(s => Math.Abs(s.Forecast - s.Actual)).Order(), errors.Select(m => m.Value).Order());
    }

    [Fact]
    public async Task Webhook_calls_are_measured_as_accepted_or_rejected_and_their_events_as_accepted_or_duplicate()
    {
        using var metrics = new MetricRecorder();
        var snapshots = new SnapshotStore(_tables);
        var ingestor = new TelephonyIngestor(new CallProgressStore(_tables, _telephony), new AgentStateStore(_tables), snapshots,
            new IntervalStore(_tables, _telephony), new AgentQueueMonthStore(_tables), _telephony);
        var function = new TelephonyEventsFunction(ingestor, new Core.Telephony.WebhookSignature(_time),
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), _time, NullLogger<TelephonyEventsFunction>.Instance);
        var body = $"{{\"eventId\":\"w1\",\"type\":\"call.arrived\",\"occurredAt\":\"{_time.GetUtcNow().AddSeconds(-5):O}\",\"queueId\":\"wq\",\"callId\":\"wc1\"}}";

        Assert.Equal(200, Requests.Status(await function.RunAsync(Requests.Json(body))));
        Assert.Equal(200, Requests.Status(await function.RunAsync(Requests.Json(body))));
        Assert.Equal(400, Requests.Status(await function.RunAsync(Requests.Json("{\"eventId\":\"w2\"}"))));
        Assert.Equal(400, Requests.Status(await function.RunAsync(Requests.Json("not json"))));

        Assert.Equal(2, metrics.Of("callbalancer.http.requests", ("endpoint", "telephony.events"), ("outcome", "accepted")).Sum(m => m.Value));
        Assert.Equal(2, metrics.Of("callbalancer.http.requests", ("endpoint", "telephony.events"), ("outcome", "rejected")).Sum(m => m.Value));
        Assert.Equal(1, metrics.Of("callbalancer.telephony.events", ("source", "generic"), ("status", "accepted")).Sum(m => m.Value));
        Assert.Equal(1, metrics.Of("callbalancer.telephony.events", ("source", "generic"), ("status", "duplicate")).Sum(m => m.Value));
    }

    [Fact]
    public async Task An_event_that_loses_every_race_for_its_row_is_measured_as_contended_not_as_storage_unavailable()
    {
        // It was counted "unavailable", the outcome the storage-unavailable alert pages on, while storage was up.
        using var metrics = new MetricRecorder();
        var contended = new CallBalancerTables(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = _prefix },
            [new FailingRequests("AgentStates", 412)]);
        var ingestor = new TelephonyIngestor(new CallProgressStore(_tables, _telephony), new AgentStateStore(contended), new SnapshotStore(_tables),
            new IntervalStore(_tables, _telephony), new AgentQueueMonthStore(_tables), _telephony);
        var function = new TelephonyEventsFunction(ingestor, new Core.Telephony.WebhookSignature(_time),
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), _time, NullLogger<TelephonyEventsFunction>.Instance);
        var body = $"{{\"eventId\":\"s1\",\"type\":\"agent.state\",\"occurredAt\":\"{_time.GetUtcNow().AddSeconds(-5):O}\",\"queueId\":\"wq\",\"agentId\":\"alice\",\"state\":\"available\"}}";

        Assert.Equal(503, Requests.Status(await function.RunAsync(Requests.Json(body))));

        Assert.Equal(1, metrics.Of("callbalancer.http.requests", ("endpoint", "telephony.events"), ("outcome", "contended")).Sum(m => m.Value));
        Assert.Empty(metrics.Of("callbalancer.http.requests", ("outcome", CallBalancerTelemetry.UnavailableOutcome)));
    }
}

/// <summary>Tests that read the process-wide meter: run alone, with their own Azurite.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Telemetry";
}
