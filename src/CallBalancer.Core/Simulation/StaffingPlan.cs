using CallBalancer.Core.Queueing;

namespace CallBalancer.Core.Simulation;

/// <summary>
/// Agents logged in per clock-aligned slot of the day (half-hours by default), as a workforce plan gives them.
/// </summary>
public sealed class StaffingPlan
{
    /// <summary>Creates a plan from agents per slot, slot 0 starting at midnight.</summary>
    public StaffingPlan(IReadOnlyList<int> agentsPerSlot, int slotSeconds = 1800)
    {
        ArgumentNullException.ThrowIfNull(agentsPerSlot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotSeconds);
        AgentsPerSlot = agentsPerSlot;
        SlotSeconds = slotSeconds;
    }

    /// <summary>Agents per slot; slot k covers [k·SlotSeconds, (k+1)·SlotSeconds) after midnight.</summary>
    public IReadOnlyList<int> AgentsPerSlot { get; }

    /// <summary>The slot length (seconds). Default 1800 (half an hour).</summary>
    public int SlotSeconds { get; }

    /// <summary>The largest number of agents in any slot.</summary>
    public int Peak => AgentsPerSlot.Count == 0 ? 0 : AgentsPerSlot.Max();

    /// <summary>Agents planned at a time of day (seconds since midnight); 0 outside the plan.</summary>
    public int AgentsAt(double secondsSinceMidnight)
    {
        var slot = (int)Math.Floor(secondsSinceMidnight / SlotSeconds);
        return slot >= 0 && slot < AgentsPerSlot.Count ? AgentsPerSlot[slot] : 0;
    }

    /// <summary>
    /// The default plan: per half-hour, the least agents whose Erlang C service level meets the target on the
    /// day-ahead forecast, then the maximum over each clock-aligned block (two hours by default), because shifts
    /// cannot follow the curve. A half-hour with any forecast calls gets at least one agent.
    /// </summary>
    /// <param name="expectedCalls">Day-ahead expected calls per data interval.</param>
    /// <param name="intervalOffsets">Each interval's start (seconds since midnight).</param>
    /// <param name="intervalSeconds">The data interval length (seconds).</param>
    /// <param name="ahtSeconds">Mean handle time of a service call (seconds).</param>
    /// <param name="targetLevel">Service-level target (share), e.g. 0.8.</param>
    /// <param name="targetSeconds">Answer-time target (seconds), e.g. 20.</param>
    /// <param name="slotSeconds">Planning slot (seconds). Default 1800.</param>
    /// <param name="blockSeconds">Shift block over which the plan is flat (seconds). Default 7200.</param>
    public static StaffingPlan FromForecast(
        IReadOnlyList<double> expectedCalls, IReadOnlyList<int> intervalOffsets, int intervalSeconds, double ahtSeconds,
        double targetLevel, double targetSeconds, int slotSeconds = 1800, int blockSeconds = 7200)
    {
        ArgumentNullException.ThrowIfNull(expectedCalls);
        ArgumentNullException.ThrowIfNull(intervalOffsets);
        var slots = (24 * 3600 + slotSeconds - 1) / slotSeconds;
        var calls = new double[slots];
        var covered = new double[slots];
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalSeconds, 1);
        for (var i = 0; i < expectedCalls.Count; i++)
        {
            // An interval's calls go to the slots it overlaps, in proportion to the overlap: an hourly count staffs
            // both of its half-hours, and a 7-minute interval across a slot boundary is shared between the two.
            var from = intervalOffsets[i];
            var to = from + intervalSeconds;
            for (var slot = Math.Max(0, from / slotSeconds); slot < slots && slot * slotSeconds < to; slot++)
            {
                var overlap = Math.Min(to, (slot + 1) * slotSeconds) - Math.Max(from, slot * slotSeconds);
                if (overlap > 0)
                {
                    calls[slot] += expectedCalls[i] * overlap / intervalSeconds;
                    covered[slot] += overlap;
                }
            }
        }

        var need = new int[slots];
        for (var s = 0; s < slots; s++)
        {
            if (covered[s] <= 0 || calls[s] <= 0)
            {
                continue;
            }

            var rate = calls[s] / covered[s];
            need[s] = Math.Max(1, Staffing.ErlangC(new QueueLoad(rate, ahtSeconds), new StaffingTarget(targetLevel, targetSeconds)).Agents);
        }

        var perBlock = Math.Max(1, blockSeconds / slotSeconds);
        var plan = new int[slots];
        for (var start = 0; start < slots; start += perBlock)
        {
            var end = Math.Min(slots, start + perBlock);
            var max = 0;
            for (var s = start; s < end; s++)
            {
                max = Math.Max(max, need[s]);
            }

            for (var s = start; s < end; s++)
            {
                // Only slots with traffic in the plan are staffed; a block's quiet edge outside the day stays closed.
                plan[s] = covered[s] > 0 ? max : 0;
            }
        }

        return new StaffingPlan(plan, slotSeconds);
    }
}
