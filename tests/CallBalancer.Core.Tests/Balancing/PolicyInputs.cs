using CallBalancer.Core.Balancing;
using FsCheck;
using FsCheck.Fluent;

namespace CallBalancer.Core.Tests.Balancing;

/// <summary>Random but valid rebalance inputs for the policy's property tests.</summary>
public static class PolicyInputs
{
    public static readonly DateTimeOffset Now = new(2024, 3, 4, 10, 7, 30, TimeSpan.Zero);

    /// <summary>The stored reason of an agent whose mode a supervisor's override set.</summary>
    public const string LapsedOverrideReason = "cross-sell set by sue for this agent until cleared: test";

    public sealed record Case(RebalanceInput Input)
    {
        public override string ToString() =>
            $"waiting={Input.Snapshot!.WaitingCalls} oldest={Input.Snapshot.OldestWaitSeconds} agents={Input.Snapshot.Agents.Count} forecast={Input.Forecast?.Count ?? 0} forced={Input.ForcedModes?.Count ?? 0}";
    }

    public static Arbitrary<Case> Cases() => Gen.Sized(_ => Generate()).ToArbitrary();

    private static Gen<Case> Generate() =>
        from agents in Gen.Choose(1, 40)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from waiting in Gen.Choose(0, 14)
        from oldest in Gen.Choose(0, 90)
        from withForecast in Gen.Elements(true, true, false)
        from callsPer5Min in Gen.Choose(0, 80)
        from forcedShare in Gen.Elements(0.0, 0.0, 0.2)
        from rateCv in Gen.Elements<double?>(null, 0, 0.05, 0.2)
        select Build(agents, seed, waiting, waiting == 0 ? 0 : oldest, withForecast, callsPer5Min, forcedShare, rateCv);

    public static Case Build(
        int agents, int seed, int waiting, double oldest, bool withForecast, int callsPer5Min, double forcedShare, double? rateCv = null)
    {
        var random = new Random(seed);
        var presences = new List<AgentPresence>();
        var modes = new List<AgentModeState>();
        var forced = new Dictionary<string, AgentMode>(StringComparer.Ordinal);
        var lapsed = new Random(~seed); // its own stream, so the other draws stay as they were
        for (var i = 0; i < agents; i++)
        {
            var id = $"agent-{i:D2}";
            var state = (AgentState)random.Next(0, 5);
            presences.Add(new AgentPresence(id, state));
            var mode = random.Next(2) == 0 ? AgentMode.ServiceOnly : AgentMode.CrossSell;
            AgentMode? pending = state == AgentState.OnCall && random.Next(4) == 0
                ? (mode == AgentMode.CrossSell ? AgentMode.ServiceOnly : AgentMode.CrossSell)
                : null;
            var since = Now.AddSeconds(-random.Next(0, 900));
            var isForced = random.NextDouble() < forcedShare;
            // As the rebalancer stores them: a forced agent's record is marked; some unmarked ones were set by an
            // override that has lapsed since (LapsedOverrideReason).
            var setByOverride = isForced || lapsed.NextDouble() < forcedShare;
            modes.Add(new AgentModeState(id, "q1", mode, since, setByOverride ? LapsedOverrideReason : "before", "d0", pending) { Forced = setByOverride });
            if (isForced)
            {
                forced[id] = mode;
            }
        }

        var snapshot = new QueueSnapshot("q1", Now.AddSeconds(-3), waiting, oldest, presences);
        var forecast = withForecast
            ? Enumerable.Range(0, 6)
                .Select(k => new ForecastInterval(Now.AddSeconds(-150 + 300 * k), 300, callsPer5Min, callsPer5Min * 1.2 + 3) { RateCv = rateCv })
                .ToList()
            : null;
        var input = new RebalanceInput(snapshot, modes, QueueSettings.Default, Now)
        {
            Forecast = forecast,
            ForcedModes = forced.Count > 0 ? forced : null,
        };
        return new Case(input);
    }
}
