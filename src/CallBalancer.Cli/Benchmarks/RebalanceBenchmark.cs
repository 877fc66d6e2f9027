using System.Diagnostics;
using CallBalancer.Core.Balancing;
using CallBalancer.DevHost;
using CallBalancer.Storage;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// <c>callbalancer bench rebalance [--agents 5000] [--queues 200] [--change-share 0.05]</c>: whole rebalance runs
/// against Azurite, with the app's sources of settings, overrides and forecasts. A cold run (every agent new), a steady run (nothing changed: it must write no mode), and a run
/// where a share of queues turns to emergency. Baseline in the same run: one point read per queue, one after another.
/// </summary>
internal sealed class RebalanceBenchmark : IBenchmark
{
    public string Name => "rebalance";

    public string Summary => "Rebalance N agents in M queues against Azurite; writes only for changed agents.";

    public async Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var agents = args.Int("agents") ?? 5000;
        var queues = args.Int("queues") ?? 200;
        var changeShare = args.Double("change-share", 0.05, 0, 1);
        if (agents < queues || queues < 1)
        {
            throw new CliUsageException("--agents must be at least --queues, and --queues at least 1.");
        }

        await using var azurite = await AzuriteLauncher.StartAsync(persist: false, progress.WriteLine, cancellationToken);
        var counter = new StorageRequestCounter();
        var tables = CountedTables.Create(azurite.ConnectionString, counter);
        var time = TimeProvider.System;
        var snapshots = new SnapshotStore(tables);
        var modes = new AgentModeStore(tables);
        // Composed as the app composes it: per-queue settings and supervisor overrides from the Supervision table, the
        // forecast from each queue's forecaster state (cached a minute), so the reads are the production ones.
        var supervision = new SupervisionStore(tables);
        var telephony = new TelephonyOptions();
        var forecasts = new ForecastService(new ForecastStore(tables), new IntervalStore(tables, telephony), snapshots, telephony, new ForecastOptions(), time);
        var service = new RebalanceService(
            snapshots,
            new QueueRebalancer(snapshots, modes, new DecisionStore(tables, time), new TableQueueSettingsSource(supervision, QueueSettings.Default),
                new ModePolicy(), time, forecasts: forecasts, supervision: supervision),
            new RunStore(tables),
            time);

        var queueIds = Enumerable.Range(0, queues).Select(q => $"q{q:D4}").ToList();
        async Task PostAllAsync(Func<int, bool> emergency)
        {
            var now = time.GetUtcNow();
            await Parallel.ForEachAsync(queueIds.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (q, ct) =>
                {
                    var size = agents / queues + (q.i < agents % queues ? 1 : 0);
                    var busy = emergency(q.i);
                    var snapshot = new QueueSnapshot(q.id, now, busy ? 5 : 0, busy ? 90 : 0,
                        Enumerable.Range(0, size).Select(a => new AgentPresence($"{q.id}-a{a:D4}", busy ? AgentState.OnCall : AgentState.Available)).ToList());
                    await snapshots.SaveLatestAsync(snapshot, ct);
                });
        }

        async Task<(double Seconds, object Figures)> MeasureAsync(string label)
        {
            counter.Reset();
            var sw = Stopwatch.StartNew();
            var summary = await service.RunAsync(cancellationToken: cancellationToken);
            sw.Stop();
            progress.WriteLine($"{label}: {sw.Elapsed.TotalSeconds:0.000} s, {summary.Flips} flips, {counter.Writes} write requests, {counter.Reads} reads");
            return (sw.Elapsed.TotalSeconds, new
            {
                seconds = Math.Round(sw.Elapsed.TotalSeconds, 3),
                queues = summary.Queues,
                flips = summary.Flips,
                failures = summary.Failures,
                readRequests = counter.Reads,
                writeRequests = counter.Writes,
            });
        }

        progress.WriteLine($"Seeding {queues} queues with {agents} agents...");
        await PostAllAsync(_ => false);
        var cold = await MeasureAsync("cold (every agent new)");
        var steady = await MeasureAsync("steady (nothing changed)");
        var changed = (int)Math.Round(queues * changeShare);
        await PostAllAsync(i => i < changed);
        var emergency = await MeasureAsync($"{changed} queues in emergency");

        // Baseline: the least any rebalance must do, one point read per queue, one after another.
        counter.Reset();
        var sw = Stopwatch.StartNew();
        foreach (var q in queueIds)
        {
            await snapshots.GetLatestAsync(q, cancellationToken);
        }

        var baselineSeconds = sw.Elapsed.TotalSeconds;
        foreach (var name in tables.Names.All)
        {
            await tables.Service.DeleteTableAsync(name, cancellationToken);
        }

        return new
        {
            agents,
            queues,
            cold = cold.Figures,
            steady = steady.Figures,
            emergency = emergency.Figures,
            baselineSequentialPointReadsSeconds = Math.Round(baselineSeconds, 3),
            steadyToBaselineRatio = Math.Round(steady.Seconds / baselineSeconds, 3),
        };
    }
}
