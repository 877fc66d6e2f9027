using System.Globalization;
using System.Text.Json;
using CallBalancer.Core.Queueing;

namespace CallBalancer.Cli.Commands;

/// <summary>
/// <c>callbalancer erlang --calls-per-hour 360 --aht 240 --agents 28 [--target-seconds 20] [--patience 120] [--json]</c>:
/// the Erlang C prediction for a queue (Erlang A when <c>--patience</c> is given). JSON fields (a contract):
/// <c>probWait</c>, <c>serviceLevel</c>, <c>asaSeconds</c>, <c>occupancy</c>, plus <c>abandonRate</c> with
/// <c>--patience</c>, and <c>stable</c> (false when Erlang C has N ≤ A; <c>asaSeconds</c> is then null).
/// </summary>
internal sealed class ErlangCommand : ICliCommand
{
    public string Name => "erlang";

    public string Summary => "Erlang C/A prediction: --calls-per-hour --aht SEC --agents N [--target-seconds 20] [--patience SEC] [--json]";

    public async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var load = QueueArguments.Load(args);
        var agents = args.RequiredInt("agents");
        if (agents < 0)
        {
            throw new CliUsageException($"--agents must be at least 0, got {agents}.");
        }

        var target = QueueArguments.TargetSeconds(args);
        var patience = QueueArguments.Patience(args);
        var m = patience is { } p ? ErlangA.Evaluate(load, agents, target, p) : ErlangC.Evaluate(load, agents, target);

        if (args.Flag("json"))
        {
            var json = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["probWait"] = m.ProbabilityOfWaiting,
                ["serviceLevel"] = m.ServiceLevel,
                ["asaSeconds"] = double.IsFinite(m.AverageSpeedOfAnswerSeconds) ? m.AverageSpeedOfAnswerSeconds : null,
                ["occupancy"] = m.Occupancy,
            };
            if (patience is not null)
            {
                json["abandonRate"] = m.AbandonmentProbability;
            }

            json["stable"] = m.IsStable;
            await output.WriteLineAsync(JsonSerializer.Serialize(json));
            return 0;
        }

        var model = patience is { } pp ? string.Create(CultureInfo.InvariantCulture, $"Erlang A (patience {pp:0.#} s)") : "Erlang C";
        var line = m.IsStable
            ? string.Create(CultureInfo.InvariantCulture,
                $"{model}: {agents} agents for {m.OfferedLoadErlangs:0.###} Erlangs: P(wait) {m.ProbabilityOfWaiting:0.0000}, service level {m.ServiceLevel:P2} within {target:0.#} s, ASA {m.AverageSpeedOfAnswerSeconds:0.00} s, occupancy {m.Occupancy:P1}")
            : string.Create(CultureInfo.InvariantCulture,
                $"{model}: {agents} agents cannot carry {m.OfferedLoadErlangs:0.###} Erlangs: the queue grows without bound (every call waits, service level 0)");
        if (patience is not null)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", abandonment {m.AbandonmentProbability:P2}");
        }

        await output.WriteLineAsync(line + ".");
        return 0;
    }
}
