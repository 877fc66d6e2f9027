using CallBalancer.Core.Balancing;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Balancing;

/// <summary>The desktop's one answer for an agent with a row in several queues.</summary>
public sealed class SharedAgentModeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static AgentModeState Row(string queueId, AgentMode mode, int minutes, bool? staffed) =>
        new("a1", queueId, mode, T0.AddMinutes(minutes), $"{queueId} says {mode.ToName()}", $"d-{queueId}") { Staffed = staffed };

    /// <summary>Rows q0, q1, ... from three arrays cut to the shortest (codes: staffed 0 = false, 1 = true, 2 = not recorded).</summary>
    private static List<AgentModeState> Rows(bool[] crossSell, byte[] staffed, byte[] minutes)
    {
        var n = Math.Min(crossSell.Length, Math.Min(staffed.Length, minutes.Length));
        return Enumerable.Range(0, n)
            .Select(i => Row($"q{i}", crossSell[i] ? AgentMode.CrossSell : AgentMode.ServiceOnly, minutes[i],
                (staffed[i] % 3) switch { 0 => false, 1 => true, _ => null }))
            .ToList();
    }

    [Property(MaxTest = 500)]
    public bool Cross_sell_only_while_every_queue_that_has_the_agent_staffed_lets_it(bool[] crossSell, byte[] staffed, byte[] minutes, byte indexed)
    {
        var rows = Rows(crossSell, staffed, minutes);
        if (rows.Count == 0)
        {
            return true;
        }

        var chosen = SharedAgentMode.Choose(rows, $"q{indexed % rows.Count}");
        var candidates = rows.Where(r => r.Staffed != false).ToList();
        var pool = candidates.Count > 0 ? candidates : rows;
        var others = candidates.Select(r => r.QueueId).Where(q => q != chosen.QueueId).Order(StringComparer.Ordinal);
        return pool.Any(r => r.QueueId == chosen.QueueId && r.Mode == chosen.Mode && r.Reason == chosen.Reason)
            && (chosen.Mode == AgentMode.ServiceOnly || pool.All(r => r.Mode == AgentMode.CrossSell))
            && (chosen.Mode == AgentMode.CrossSell || pool.Any(r => r.Mode == AgentMode.ServiceOnly))
            && chosen.AlsoStaffedIn.Order(StringComparer.Ordinal).SequenceEqual(others);
    }

    [Property(MaxTest = 200)]
    public bool One_row_is_answered_as_it_is(bool crossSell, byte staffed, byte minutes)
    {
        var row = Rows([crossSell], [staffed], [minutes])[0];
        var chosen = SharedAgentMode.Choose([row], "elsewhere");
        return chosen with { AlsoStaffedIn = row.AlsoStaffedIn } == row && chosen.AlsoStaffedIn.Count == 0;
    }

    [Fact]
    public void A_queue_the_agent_has_left_holds_nothing_and_the_queue_it_is_in_decides()
    {
        var left = Row("cards", AgentMode.ServiceOnly, 30, staffed: false);
        var inQueue = Row("loans", AgentMode.CrossSell, 10, staffed: true);

        var chosen = SharedAgentMode.Choose([left, inQueue], "cards");

        Assert.Equal(("loans", AgentMode.CrossSell), (chosen.QueueId, chosen.Mode));
        Assert.Empty(chosen.AlsoStaffedIn);
    }

    [Fact]
    public void A_hold_in_one_queue_beats_the_newer_cross_sell_of_the_queue_the_index_names()
    {
        var held = Row("cards", AgentMode.ServiceOnly, 0, staffed: true);
        var free = Row("loans", AgentMode.CrossSell, 20, staffed: true);

        var chosen = SharedAgentMode.Choose([free, held], "loans");

        Assert.Equal(("cards", AgentMode.ServiceOnly, "cards says service-only"), (chosen.QueueId, chosen.Mode, chosen.Reason));
        Assert.Equal(["loans"], chosen.AlsoStaffedIn);
    }

    [Fact]
    public void Where_every_staffed_queue_lets_the_agent_cross_sell_the_indexed_queue_answers_and_the_others_are_named()
    {
        var rows = new[] { Row("cards", AgentMode.CrossSell, 0, true), Row("loans", AgentMode.CrossSell, 20, null), Row("old", AgentMode.ServiceOnly, 40, false) };

        var chosen = SharedAgentMode.Choose(rows, "cards");

        Assert.Equal(("cards", AgentMode.CrossSell), (chosen.QueueId, chosen.Mode));
        Assert.Equal(["loans"], chosen.AlsoStaffedIn);
    }
}
