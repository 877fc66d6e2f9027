using System.Globalization;
using System.Text.Json;
using CallBalancer.Core.Queueing;

namespace CallBalancer.Cli.Commands;

/// <summary>
/// <c>callbalancer staff --calls-per-hour 360 --aht 240 [--target-sl 0.8] [--target-seconds 20] [--patience 120]
/// [--max-abandon 0.05] [--max-occupancy 0.9] [--json]</c>: the least agents meeting the target (Erlang C, or Erlang A
/// with <c>--patience</c>). JSON fields (a contract): <c>agents</c>, <c>serviceLevel</c>.
/// </summary>
internal sealed class StaffCommand : ICliCommand
{
    public string Name => "staff";

    public string Summary => "Least agents for a target: --calls-per-hour --aht SEC [--target-sl 0.8] [--target-seconds 20] [--patience SEC] [--json]";

    public async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var load = QueueArguments.Load(args);
        var sl = args.Double("target-sl") ?? 0.8;
        if (!(sl > 0 && sl < 1))
        {
            throw new CliUsageException($"--target-sl is a share above 0 and below 1 (e.g. 0.8 for 80%), got {sl}.");
        }

        var patience = QueueArguments.Patience(args);
        var maxAbandon = QueueArguments.Share(args, "max-abandon");
        if (maxAbandon is not null && patience is null)
        {
            throw new CliUsageException("--max-abandon needs --patience (without it nobody abandons).");
        }

        var target = new StaffingTarget(sl, QueueArguments.TargetSeconds(args))
        {
            MaxAbandonment = maxAbandon,
            MaxOccupancy = QueueArguments.Share(args, "max-occupancy"),
        };
        StaffingResult result;
        try
        {
            result = Staffing.Required(load, target, patience);
        }
        catch (InvalidOperationException ex)
        {
            // More than Staffing.MaxAgents: a mistyped rate or handle time rather than a centre.
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"{load.OfferedLoadErlangs:0.#} Erlangs: {ex.Message} Check --calls-per-hour and --aht (seconds)."), ex);
        }

        if (args.Flag("json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["agents"] = result.Agents,
                ["serviceLevel"] = result.Metrics.ServiceLevel,
            }));
            return 0;
        }

        var m = result.Metrics;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{result.Agents} agents for {m.OfferedLoadErlangs:0.###} Erlangs ({(patience is null ? "Erlang C" : "Erlang A")}): service level {m.ServiceLevel:P2} within {target.TargetSeconds:0.#} s (target {sl:P0}), ASA {m.AverageSpeedOfAnswerSeconds:0.00} s, occupancy {m.Occupancy:P1}");
        if (patience is not null)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", abandonment {m.AbandonmentProbability:P2}");
        }

        await output.WriteLineAsync(line + ".");
        return 0;
    }
}
