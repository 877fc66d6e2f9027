using System.Diagnostics;
using Azure.Data.Tables;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Kpi;
using CallBalancer.DevHost;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// <c>callbalancer bench kpi [--days 30] [--per-day 5000] [--agents 150] [--agent-year 20000]</c>: a queue's KPI report
/// over a month of answers on Azurite, read from the ledger's entries (the baseline, as every report was read before the
/// roll-up) and then with the nightly roll-up's day rows, in the same run; the two reports must agree to the entry. Also
/// one agent's report over a year of its own answers, which is not rolled up, with its read rate against the baseline's.
/// </summary>
internal sealed class KpiBenchmark : IBenchmark
{
    public string Name => "kpi";

    public string Summary => "A queue's KPI report over a month on Azurite, from the ledger's entries vs with the nightly day roll-ups [--days 30] [--per-day 5000] [--agents 150] [--agent-year 20000].";

    public async Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var days = args.Int("days", 30, 1, 400);
        var perDay = args.Int("per-day", 5000, 1, 100_000);
        var agentCount = args.Int("agents", 150, 1, 1000);
        var agentYear = args.Int("agent-year", 20_000, 1, 200_000);
        const int repeats = 3;

        await using var azurite = await AzuriteLauncher.StartAsync(persist: false, progress.WriteLine, cancellationToken);
        var counter = new StorageRequestCounter();
        var tables = CountedTables.Create(azurite.ConnectionString, counter);
        var time = TimeProvider.System;
        var snapshots = new SnapshotStore(tables);
        var rollups = new KpiRollupStore(tables);
        var ledger = new KpiLedgerStore(tables, rollups, time);
        var telephony = new TelephonyOptions();
        var kpi = new KpiService(ledger, rollups, new AgentModeStore(tables), new StoredCallFacts(new IntervalStore(tables, telephony), new AgentQueueMonthStore(tables)), time);
        var service = new KpiRollupService(snapshots, ledger, rollups, time);

        // The period: the `days` whole UTC days that ended at least a day before now.
        const string queueId = "cards";
        var lastDay = KpiRollupRules.DayOf(time.GetUtcNow() - KpiRollupRules.RollUpAfter).AddDays(-1);
        var firstDay = lastDay.AddDays(1 - days);
        var (from, to) = (KpiRollupRules.StartOf(firstDay), KpiRollupRules.EndOf(lastDay));
        await snapshots.SaveLatestAsync(new QueueSnapshot(queueId, time.GetUtcNow(), 0, 0,
            Enumerable.Range(0, agentCount).Select(a => new AgentPresence($"a{a:D4}", AgentState.Available)).ToList()), cancellationToken);

        // The queue's ledger partition, loaded in transactions of 100 (the agents' partitions are not read by a queue report).
        var load = Stopwatch.StartNew();
        var random = new Random(1);
        var entries = new List<LedgerEntry>(days * perDay);
        for (var i = 0; i < days * perDay; i++)
        {
            var at = from.AddSeconds((i + random.NextDouble()) * (to - from).TotalSeconds / (days * perDay));
            var accepted = random.NextDouble() < 0.15;
            entries.Add(new LedgerEntry($"o{i}:outcome", $"a{random.Next(agentCount):D4}", "c" + i, "o" + i, "sms-alerts", LedgerEntryKind.Outcome,
                1, accepted ? 1 : 0, accepted ? 0.5 + random.Next(10) / 4.0 : 0, at) { QueueId = queueId });
        }

        var table = await tables.GetAsync(tables.Names.KpiLedger, cancellationToken);
        await Parallel.ForEachAsync(entries.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chunk, ct) => await table.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, KpiLedgerStore.ToEntity(KpiLedgerStore.QueuePrefix + queueId, e))), ct));
        progress.WriteLine($"kpi: loaded {entries.Count:N0} answers over {days} days in {load.Elapsed.TotalSeconds:0.0} s");

        // One agent's own partition over the last 365 days: an agent's report is not rolled up, so a year reads every
        // answer (about 12,000 to 25,000 a year at the 2003 bank's pace).
        const string yearAgent = "year-agent";
        var (yearFrom, yearTo) = (KpiRollupRules.StartOf(lastDay.AddDays(-364)), to);
        var yearEntries = Enumerable.Range(0, agentYear).Select(i =>
        {
            var at = yearFrom.AddSeconds((i + random.NextDouble()) * (yearTo - yearFrom).TotalSeconds / agentYear);
            var accepted = random.NextDouble() < 0.15;
            return new LedgerEntry($"y{i}:outcome", yearAgent, "c" + i, "y" + i, "sms-alerts", LedgerEntryKind.Outcome,
                1, accepted ? 1 : 0, accepted ? 0.5 + random.Next(10) / 4.0 : 0, at) { QueueId = queueId };
        }).ToList();
        await Parallel.ForEachAsync(yearEntries.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chunk, ct) => await table.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, KpiLedgerStore.ToEntity(yearAgent, e))), ct));

        async Task<(QueueKpiReport Report, double Seconds, long Requests)> ReportAsync(string label)
        {
            var runs = new List<(QueueKpiReport, double, long)>();
            for (var r = 0; r < repeats; r++)
            {
                counter.Reset();
                var sw = Stopwatch.StartNew();
                var report = await kpi.QueueReportAsync(queueId, from, to, cancellationToken) ?? throw new InvalidOperationException("No report.");
                runs.Add((report, sw.Elapsed.TotalSeconds, counter.Total));
            }

            var median = runs.OrderBy(x => x.Item2).ElementAt(repeats / 2);
            progress.WriteLine($"kpi: {label}: {median.Item2:0.000} s, {median.Item3} storage requests (median of {repeats})");
            return median;
        }

        var raw = await ReportAsync("from the entries");
        var agentRuns = new List<(KpiReport Report, double Seconds, long Requests)>();
        for (var r = 0; r < repeats; r++)
        {
            counter.Reset();
            var sw = Stopwatch.StartNew();
            var report = await kpi.AgentReportAsync(yearAgent, yearFrom, yearTo, cancellationToken);
            agentRuns.Add((report, sw.Elapsed.TotalSeconds, counter.Total));
        }

        var agent = agentRuns.OrderBy(x => x.Seconds).ElementAt(repeats / 2);
        if (agent.Report.LedgerEntries != agentYear)
        {
            throw new InvalidOperationException($"The agent's year report read {agent.Report.LedgerEntries} entries, not {agentYear}.");
        }

        progress.WriteLine($"kpi: one agent's year ({agentYear:N0} answers): {agent.Seconds:0.000} s, {agent.Requests} storage requests (median of {repeats})");
        counter.Reset();
        var rollupClock = Stopwatch.StartNew();
        var run = await service.RunAsync(days + 2, maxDays: 100_000, cancellationToken);
        var rollupSeconds = rollupClock.Elapsed.TotalSeconds;
        var rollupRequests = counter.Total;
        progress.WriteLine($"kpi: roll-up of {run.DaysRolledUp} queue-days from {run.EntriesRead:N0} entries in {rollupSeconds:0.0} s");
        var rolled = await ReportAsync("with the day roll-ups");

        // Exact: credits are summed in decimal either way, so the two reports must be equal to the last bit.
        static (int, int, double, int) Key(KpiReport r) => (r.OffersMade, r.Acceptances, r.WeightedCredit, r.LedgerEntries);
        static object Totals(KpiReport r) => new { r.OffersMade, r.Acceptances, weightedCredit = Math.Round(r.WeightedCredit, 6), r.LedgerEntries };
        var agree = Key(raw.Report.Report) == Key(rolled.Report.Report)
            && raw.Report.Agents.Count == rolled.Report.Agents.Count
            && raw.Report.Agents.Zip(rolled.Report.Agents).All(p => p.First.AgentId == p.Second.AgentId && Key(p.First.Report) == Key(p.Second.Report));
        if (!agree)
        {
            throw new InvalidOperationException("The report with the roll-ups differs from the report of the entries.");
        }

        return new
        {
            benchmark = "kpi",
            queue = new { days, answersPerDay = perDay, agents = agentCount, answers = entries.Count, from, to },
            fromEntries = new { seconds = Math.Round(raw.Seconds, 3), storageRequests = raw.Requests, entriesRead = raw.Report.Report.LedgerEntries },
            withRollups = new { seconds = Math.Round(rolled.Seconds, 3), storageRequests = rolled.Requests },
            speedup = Math.Round(raw.Seconds / rolled.Seconds, 1),

            // Not rolled up: the agent's own entries, read at the same rate as the queue's (the ratio of entries per second).
            agentYear = new
            {
                answers = agentYear,
                from = yearFrom,
                to = yearTo,
                seconds = Math.Round(agent.Seconds, 3),
                storageRequests = agent.Requests,
                entriesPerSecondVsQueueFromEntries = Math.Round(agentYear / agent.Seconds / (raw.Report.Report.LedgerEntries / raw.Seconds), 2),
            },
            reportsAgree = agree,
            report = Totals(rolled.Report.Report),
            rollup = new { queueDays = run.DaysRolledUp, run.EntriesRead, seconds = Math.Round(rollupSeconds, 1), storageRequests = rollupRequests },
            loadAverage = MachineLoad.Read(),
        };
    }
}
