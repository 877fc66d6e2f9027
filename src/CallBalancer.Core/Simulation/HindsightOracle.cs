namespace CallBalancer.Core.Simulation;

/// <summary>
/// A yardstick, not a policy: the static threshold (k = 1 by default) with the half-hours it breaks blocked, found by
/// replaying the same day and seed. The simulator draws every call's arrival, service time, patience and pitch from the
/// seed up front, so each replay meets the same luck, and the half-hours blocked are the ones that luck would have
/// broken. No live policy knows that; the benchmark compares it with a rule that knows the day's true counts but not the
/// run's luck, to show how much of the half-hour bound is decided by the run's own draws.
/// </summary>
public static class HindsightOracle
{
    /// <summary>
    /// Replays the day: every half-hour with at least <see cref="SimulationOptions.WorstHalfHourMinCalls"/> calls whose
    /// service level ends below <paramref name="floor"/> is blocked (no cross-sell from
    /// <see cref="StaticThresholdPolicy.BlockLeadSeconds"/> before it to its end); a half-hour already blocked that is still
    /// below has the latest half-hour before it that is not blocked yet blocked too (pitches there spilled over). Stops
    /// when no half-hour is below, or after <paramref name="maxRounds"/> replays. It cannot stop otherwise: with every
    /// half-hour up to a broken one blocked, the day up to its end is service-only's, which the floor is below.
    /// </summary>
    /// <param name="day">The day.</param>
    /// <param name="options">The model and seed.</param>
    /// <param name="floor">The lowest half-hour service level allowed (share of calls, e.g. service-only's worst minus 0.03).</param>
    /// <param name="idleAgents">k of the static threshold.</param>
    /// <param name="maxRounds">At most this many replays (at least 1).</param>
    public static HindsightResult Run(SimulationDay day, SimulationOptions options, double floor, int idleAgents = 1, int maxRounds = 12)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRounds, 1);
        var blocked = new HashSet<int>();
        SimulationResult result;
        var rounds = 0;
        while (true)
        {
            rounds++;
            result = ContactCentreSimulator.Run(day, new StaticThresholdPolicy(idleAgents, new HashSet<int>(blocked)), options);
            var below = result.HalfHours
                .Where(h => h.OfferedCalls >= options.WorstHalfHourMinCalls && h.ServiceLevel < floor)
                .Select(h => h.StartSeconds)
                .ToList();
            if (below.Count == 0 || rounds == maxRounds)
            {
                break;
            }

            foreach (var start in below)
            {
                var s = start;
                while (s >= 0 && !blocked.Add(s))
                {
                    s -= 1800;
                }
            }
        }

        return new HindsightResult(result, blocked.Order().ToList(), rounds);
    }
}

/// <summary>The oracle's last replay and what it blocked.</summary>
/// <param name="Result">The day with the blocked half-hours.</param>
/// <param name="BlockedHalfHours">Starts of the blocked half-hours (seconds after midnight).</param>
/// <param name="Rounds">Replays run.</param>
public sealed record HindsightResult(SimulationResult Result, IReadOnlyList<int> BlockedHalfHours, int Rounds);
