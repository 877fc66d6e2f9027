using CallBalancer.Cli.Benchmarks.Offers;
using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// <c>callbalancer bench offers [--calls N] [--concurrency 8] [--azurite] [--azurite-calls 2000] [--data FILE]</c>:
/// replays the Anonymous Bank February 1999 calls through recommendation and outcome recording with simulated answers,
/// concurrently, in the core (in-memory state with ETag-style writes) and optionally through the dev host on Azurite.
/// Baselines in the same run: a reason-blind static ranking (conversion), an unguarded write (contact-policy violations).
/// </summary>
internal sealed class OffersBenchmark : IBenchmark
{
    public const string DataFile = "anonymous_bank_1999_02_calls.csv";

    public string Name => "offers";

    public string Summary => "Replay Feb 1999 calls through offers + outcomes: contact-policy violations, latency, conversion, KPI check.";

    public async Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var path = args.String("data") ?? RepositoryPaths.SharedDataFile(DataFile);
        var concurrency = args.Int("concurrency", 8, 1);
        int? limit = args.Has("calls") ? args.Int("calls", 0, 1) : null;
        var azuriteCalls = args.Int("azurite-calls", 2000, 1);

        var loadAtStart = MachineLoad.Read();
        var calls = ReplayData.Load(path, limit);
        var profiles = calls.Select(c => c.CustomerId).Distinct(StringComparer.Ordinal)
            .Select(ReplayData.ProfileFor).Where(p => p is not null).ToDictionary(p => p!.CustomerId, p => p!, StringComparer.Ordinal);
        var policy = ContactPolicy.Default;

        // A supervisor raises the upgrade's weights mid-month: credits change from that instant on, not before.
        var weightChange = new DateTimeOffset(1999, 2, 15, 0, 0, 0, TimeSpan.FromHours(2));
        var catalogue = SeedCatalogue.Products
            .Select(p => p.ProductId == "tier-upgrade" ? p.WithWeightsFrom(new ProductWeights(weightChange, 10, 1.5)) : p).ToList();
        progress.WriteLine($"Loaded {calls.Count} served calls of identified customers ({profiles.Count} with a synthetic profile) from {path}");

        var replay = new CoreOfferReplay(catalogue, policy, profiles);
        replay.Run(calls.Take(2000).ToList(), CoreOfferReplay.Variant.Product, concurrency); // warm-up (JIT), discarded
        var product = replay.Run(calls, CoreOfferReplay.Variant.Product, concurrency);
        progress.WriteLine($"core product: {product.Seconds:0.00} s");
        var staticRanking = replay.Run(calls, CoreOfferReplay.Variant.StaticRanking, concurrency);
        var unguarded = replay.Run(calls, CoreOfferReplay.Variant.Unguarded, concurrency);

        // Contention: the 50 most frequent callers' calls all overlapping (offers shown on every call before any answer is recorded).
        var frequent = calls.GroupBy(c => c.CustomerId).OrderByDescending(g => g.Count()).Take(50).SelectMany(g => g).ToList();
        var burstGuarded = replay.Run(frequent, CoreOfferReplay.Variant.Product, concurrency, overlapping: true);
        var burstUnguarded = replay.Run(frequent, CoreOfferReplay.Variant.Unguarded, concurrency, overlapping: true);

        var start = new DateTimeOffset(1999, 2, 1, 0, 0, 0, TimeSpan.FromHours(2));
        var end = new DateTimeOffset(1999, 3, 8, 0, 0, 0, TimeSpan.FromHours(2));
        var kpi = KpiReconciliation.Check(product.Ledger, product.State.All, catalogue, start, end);

        var p95Core = Percentiles.P95(product.LatencyMicros.ToList()) / 1000.0;
        var p95Static = Percentiles.P95(staticRanking.LatencyMicros.ToList()) / 1000.0;
        var conversion = (double)product.Ledger.Sum(e => e.Acceptances) / Math.Max(1, product.Recorded);
        var staticConversion = (double)staticRanking.Ledger.Sum(e => e.Acceptances) / Math.Max(1, staticRanking.Recorded);

        object? azurite = null;
        if (args.Flag("azurite"))
        {
            azurite = await DevHostOfferReplay.RunAsync(calls.Take(azuriteCalls).ToList(), profiles, concurrency, progress, cancellationToken);
        }

        return new
        {
            machine = new { Environment.ProcessorCount, loadAverageAtStart = loadAtStart, loadAverageAtEnd = MachineLoad.Read() },
            data = new
            {
                file = Path.GetFileName(path),
                calls = calls.Count,
                customers = calls.Select(c => c.CustomerId).Distinct().Count(),
                customersWithProfile = profiles.Count,
                reasons = calls.GroupBy(c => c.Reason.ToCode()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            },
            contactPolicy = new { policy.MaxOffers, policy.WindowDays },
            concurrency,
            core = new
            {
                product = product.Summary(policy),
                baselineStaticRanking = staticRanking.Summary(policy),
                baselineUnguardedWrite = unguarded.Summary(policy),
                overlappingCallsOfFrequentCallers = new { guarded = burstGuarded.Summary(policy), unguarded = burstUnguarded.Summary(policy) },
                conversionRatioToStaticRanking = Math.Round(conversion / Math.Max(1e-9, staticConversion), 3),
                creditRatioToStaticRanking = Math.Round((double)(product.Credit / Math.Max(1e-9m, staticRanking.Credit)), 3),
                recommendP95Ms = Math.Round(p95Core, 4),
                recommendP95RatioToStaticRanking = Math.Round(p95Core / p95Static, 3),
                kpiReconciliation = kpi,
            },
            azurite,
            targets = new
            {
                zeroViolationsConcurrent = product.Violations(policy).Customers == 0 && burstGuarded.Violations(policy).Customers == 0,
                coreRecommendP95Under2Ms = p95Core < 2,
                kpiEqualsLedger = kpi.Mismatches == 0,
            },
        };
    }
}
