using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CallBalancer.Core.Simulation;

namespace CallBalancer.Cli.Commands;

/// <summary>
/// <c>callbalancer simulate --arrivals CSV --day YYYY-MM-DD --policy NAME|all [--seed N] [--idle-agents K]
/// [--target-sl 0.8] [--target-seconds 20] [--plot out.png] [--json]</c>: simulates one day of real traffic.
/// </summary>
internal sealed class SimulateCommand : ICliCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Name => "simulate";

    public string Summary => "Simulate a day of real traffic under a mode policy (or all) and print the results.";

    public async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var arrivalsPath = args.RequiredString("arrivals");
        var dayText = args.RequiredString("day");
        if (!DateOnly.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new CliUsageException($"--day must be yyyy-mm-dd, got '{dayText}'.");
        }

        var policyName = args.String("policy") ?? "forecast";
        var names = policyName == "all" ? SimulatedPolicies.Names : [policyName];
        if (names.Any(n => !SimulatedPolicies.Names.Contains(n)))
        {
            throw new CliUsageException($"--policy must be one of {string.Join(", ", SimulatedPolicies.Names)} or all, got '{policyName}'.");
        }

        var options = SimulationInputs.Options(args);
        var idleAgents = args.Int("idle-agents", 2, 0);

        var series = SimulationInputs.ReadSeries(arrivalsPath);
        var serviceTimes = SimulationInputs.ServiceTimes(args);
        var simDay = SimulationInputs.Day(args, series, day, serviceTimes, options);

        var results = new List<(SimulationResult Result, double Seconds)>();
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Console.Error.WriteLineAsync($"simulating {day:yyyy-MM-dd} with {name}...");
            var watch = Stopwatch.StartNew();
            var policy = SimulatedPolicies.Create(name, idleAgents);
            var result = ContactCentreSimulator.Run(simDay, policy, options);
            results.Add((result, watch.Elapsed.TotalSeconds));
            if (args.Flag("verbose"))
            {
                await WriteDetailsAsync(result, policy);
            }
        }

        if (args.String("plot") is { } plotPath)
        {
            var chosen = results.FirstOrDefault(r => r.Result.Policy == "forecast").Result ?? results[0].Result;
            var serviceOnly = results.FirstOrDefault(r => r.Result.Policy == "service-only").Result;
            await File.WriteAllBytesAsync(plotPath, PolicyPlot.Render(chosen, serviceOnly, options.TargetServiceLevel), cancellationToken);
            await Console.Error.WriteLineAsync($"plot written to {plotPath}");
        }

        if (args.Flag("json"))
        {
            var rows = results.Select(r => ToJson(r.Result, r.Seconds)).ToList();
            await output.WriteLineAsync(names.Count == 1
                ? JsonSerializer.Serialize(rows[0], Json)
                : JsonSerializer.Serialize(rows, Json));
            return 0;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{"policy",-17} {"offered",8} {"SL",7} {"worstHH",8} {"abandon",8} {"xsell",7} {"accepted",8} {"flips",6} {"flips/h",8} {"agent-h",8} {"seconds",8}"));
        foreach (var (r, seconds) in results)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{r.Policy,-17} {r.OfferedCalls,8} {r.ServiceLevel,7:P1} {r.WorstHalfHourServiceLevel,8:P1} {r.AbandonRate,8:P1} {r.CrossSellCalls,7} {r.CrossSellAcceptances,8} {r.ModeFlips,6} {r.FlipsPerAgentHour,8:0.00} {r.AgentHours,8:0.0} {seconds,8:0.000}"));
        }

        return 0;
    }

    private static async Task WriteDetailsAsync(SimulationResult result, ISimulatedPolicy policy)
    {
        if (policy is ForecastModePolicy f)
        {
            await Console.Error.WriteLineAsync("  rules: " + string.Join(", ", f.RuleCounts.OrderByDescending(r => r.Value).Select(r => $"{r.Key}={r.Value}")));
            await Console.Error.WriteLineAsync("  agent changes by rule: " + string.Join(", ", f.RuleChanges.Where(r => r.Value > 0).OrderByDescending(r => r.Value).Select(r => $"{r.Key}={r.Value}")));
        }

        foreach (var h in result.HalfHours.Where(h => h.OfferedCalls > 0))
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {h.StartSeconds / 3600:00}:{h.StartSeconds % 3600 / 60:00} offered {h.OfferedCalls,5} SL {h.ServiceLevel,6:P1} plan {h.PlannedAgents,4} staffed {h.MeanStaffedAgents,6:0.0} xsell {h.MeanCrossSellAgents,6:0.0} offers {h.CrossSellOffers,5}"));
        }
    }

    /// <summary>The contract's JSON fields, in order.</summary>
    internal static Dictionary<string, object> ToJson(SimulationResult r, double seconds) => new()
    {
        ["policy"] = r.Policy,
        ["day"] = r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["offeredCalls"] = r.OfferedCalls,
        ["serviceLevel"] = Math.Round(r.ServiceLevel, 6),
        ["worstHalfHourServiceLevel"] = Math.Round(r.WorstHalfHourServiceLevel, 6),
        ["abandonRate"] = Math.Round(r.AbandonRate, 6),
        ["crossSellCalls"] = r.CrossSellCalls,
        ["crossSellAcceptances"] = r.CrossSellAcceptances,
        ["modeFlips"] = r.ModeFlips,
        ["flipsPerAgentHour"] = Math.Round(r.FlipsPerAgentHour, 4),
        ["agentHours"] = Math.Round(r.AgentHours, 3),
        ["seconds"] = Math.Round(seconds, 4),
    };
}
