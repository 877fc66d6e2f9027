using System.Globalization;
using CallBalancer.Core.Simulation;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// <c>callbalancer bench hindsight [--days-per-bank 20] [--seeds 3] [--data DIR]</c>: how much of issue 4's per-run
/// half-hour bound is the run's own luck. On the policy benchmark's days and seeds it runs, beside our policy:
/// <list type="bullet">
/// <item>the hindsight oracle (<see cref="HindsightOracle"/>): the static threshold k = 1 with the half-hours it breaks
/// blocked, found by replaying the same seed, so it knows this run's arrivals, handle times and patience;</item>
/// <item>the same static threshold blocked instead in the half-hours that service-only runs worst on average over
/// other seeds of the same day: it knows the day's true counts (more than any forecast) but not this run's luck.</item>
/// </list>
/// Each is judged by the two open targets exactly as <c>bench policy</c> judges ours.
/// </summary>
internal sealed class HindsightBenchmark : IBenchmark
{
    private static readonly int[] StaticKs = [1, 2, 3, 5];

    /// <summary>How far below service-only's worst half-hour the oracle lets a half-hour fall: 2 points inside the bound.</summary>
    private const double OracleMargin = 0.03;

    /// <summary>The counts-known rule blocks the half-hours whose expected service-only level is within this of the day's lowest.</summary>
    private static readonly double[] RiskBands = [0.1, 0.2, 0.3];

    public string Name => "hindsight";

    public string Summary => "How much of the half-hour bound is luck: a hindsight oracle and a counts-known rule against our policy.";

    public Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var dataDir = args.String("data") ?? RepositoryPaths.SharedDataDirectory();
        var daysPerBank = args.Int("days-per-bank", 20, 1);
        var seeds = args.Int("seeds", 3, 1);
        var expectedSeeds = args.Int("expected-seeds", 8, 1);

        var options = SimulationInputs.Options(args);
        var serviceTimes = SimulationInputs.ServiceTimes(args);
        var rows = new List<Row>();
        foreach (var (bank, file, weekdays) in BenchmarkDays.Banks)
        {
            var series = SimulationInputs.ReadSeries(Path.Combine(dataDir, file));
            foreach (var date in BenchmarkDays.Pick(series, weekdays, daysPerBank))
            {
                var day = SimulationDayBuilder.Build(series, date, serviceTimes, options);

                // Service-only's expected level per half-hour, from seeds the runs below do not use.
                var expected = ExpectedServiceOnly(day, options, expectedSeeds);
                var lowest = expected.Count == 0 ? 1 : expected.Values.Min();
                for (var seed = 1; seed <= seeds; seed++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress.WriteLine($"hindsight bench: {bank} {date:yyyy-MM-dd} seed {seed}");
                    var o = options with { Seed = seed };
                    var so = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("service-only"), o);
                    var best = StaticKs
                        .Select(k => ContactCentreSimulator.Run(day, SimulatedPolicies.Create("static-threshold", k), o))
                        .Where(r => r.ServiceLevel >= o.TargetServiceLevel)
                        .MaxBy(r => r.CrossSellCalls);
                    var candidates = new List<(string Name, SimulationResult Result, int Blocked)>
                    {
                        ("forecast", ContactCentreSimulator.Run(day, SimulatedPolicies.Create("forecast"), o), 0),
                    };
                    var oracle = HindsightOracle.Run(day, o, so.WorstHalfHourServiceLevel - OracleMargin);
                    candidates.Add(("hindsight", oracle.Result, oracle.BlockedHalfHours.Count));
                    foreach (var band in RiskBands)
                    {
                        var blocked = expected.Where(e => e.Value < lowest + band).Select(e => e.Key).ToHashSet();
                        candidates.Add((CountsKnownName(band), ContactCentreSimulator.Run(day, new StaticThresholdPolicy(1, blocked), o), blocked.Count));
                    }

                    rows.AddRange(candidates.Select(c => new Row(bank, date, seed, c.Name, so, best, c.Result, c.Blocked)));
                }
            }
        }

        object Summaries(IEnumerable<Row> set) => set
            .GroupBy(r => r.Candidate)
            .Select(g =>
            {
                var list = g.ToList();
                var withVolume = list.Where(r => r.VolumeRatio is not null).ToList();
                return new
                {
                    candidate = g.Key,
                    runs = list.Count,
                    worstHalfHourWithin5Points = new { pass = list.Count(r => r.Within5Points), of = list.Count },
                    meanVolumeRatio = withVolume.Count == 0 ? 0 : Math.Round(withVolume.Average(r => r.VolumeRatio!.Value), 3),
                    volumeAtLeast090OfBestStatic = new { pass = withVolume.Count(r => r.VolumeRatio >= 0.9), of = withVolume.Count },
                    meanBlockedHalfHours = Math.Round(list.Average(r => (double)r.BlockedHalfHours), 2),
                    maxBlockedHalfHours = list.Max(r => r.BlockedHalfHours),
                };
            })
            .ToList();

        object result = new
        {
            seeds,
            expectedSeeds,
            oracleMarginPoints = OracleMargin * 100,
            all = Summaries(rows),
            bank2003 = Summaries(rows.Where(r => r.Bank == "2003")),
            bank1999 = Summaries(rows.Where(r => r.Bank == "1999")),
            perRun = rows.Where(r => r.Candidate == "hindsight").Select(r => new
            {
                bank = r.Bank,
                day = r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                seed = r.Seed,
                serviceOnlyWorstHH = Math.Round(r.ServiceOnly.WorstHalfHourServiceLevel, 4),
                hindsightWorstHH = Math.Round(r.Result.WorstHalfHourServiceLevel, 4),
                hindsightCrossSell = r.Result.CrossSellCalls,
                bestStaticCrossSell = r.BestStatic?.CrossSellCalls,
                blockedHalfHours = r.BlockedHalfHours,
            }).ToList(),
        };
        return Task.FromResult(result);
    }

    private static string CountsKnownName(double band) =>
        string.Create(CultureInfo.InvariantCulture, $"counts-known, blocked within {band * 100:0} points of the day's lowest");

    /// <summary>Service-only's mean service level per half-hour (by start) over seeds 101 onwards, half-hours with enough calls only.</summary>
    private static Dictionary<int, double> ExpectedServiceOnly(SimulationDay day, SimulationOptions options, int count)
    {
        var sums = new Dictionary<int, (double Sum, int N)>();
        for (var seed = 101; seed < 101 + count; seed++)
        {
            var run = ContactCentreSimulator.Run(day, SimulatedPolicies.Create("service-only"), options with { Seed = seed });
            foreach (var h in run.HalfHours.Where(h => h.OfferedCalls >= options.WorstHalfHourMinCalls))
            {
                var (sum, n) = sums.GetValueOrDefault(h.StartSeconds);
                sums[h.StartSeconds] = (sum + h.ServiceLevel, n + 1);
            }
        }

        return sums.ToDictionary(p => p.Key, p => p.Value.Sum / p.Value.N);
    }

    private sealed record Row(
        string Bank, DateOnly Date, int Seed, string Candidate, SimulationResult ServiceOnly, SimulationResult? BestStatic,
        SimulationResult Result, int BlockedHalfHours)
    {
        public bool Within5Points => Result.WorstHalfHourServiceLevel >= ServiceOnly.WorstHalfHourServiceLevel - 0.05;

        /// <summary>As in <c>bench policy</c>: null when no static threshold meets the day's target.</summary>
        public double? VolumeRatio => BestStatic is not { } b ? null : b.CrossSellCalls > 0 ? (double)Result.CrossSellCalls / b.CrossSellCalls : 0;
    }
}
