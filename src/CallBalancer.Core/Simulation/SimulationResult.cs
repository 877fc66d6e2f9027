namespace CallBalancer.Core.Simulation;

/// <summary>The outcome of one simulated day under one policy.</summary>
public sealed record SimulationResult
{
    /// <summary>The policy's name.</summary>
    public required string Policy { get; init; }

    /// <summary>The simulated date.</summary>
    public required DateOnly Day { get; init; }

    /// <summary>Calls that arrived (calls).</summary>
    public required int OfferedCalls { get; init; }

    /// <summary>Calls answered by an agent (calls).</summary>
    public required int AnsweredCalls { get; init; }

    /// <summary>Calls answered within the target time (calls).</summary>
    public required int AnsweredWithinTarget { get; init; }

    /// <summary>Calls that hung up before an answer (calls).</summary>
    public required int AbandonedCalls { get; init; }

    /// <summary>Calls still waiting (neither answered nor abandoned) when the simulation stopped; 0 when drained.</summary>
    public required int InSystemAtEnd { get; init; }

    /// <summary>Share of all offered calls answered within the target; abandoned calls count as not answered in time.</summary>
    public double ServiceLevel => OfferedCalls == 0 ? 1 : (double)AnsweredWithinTarget / OfferedCalls;

    /// <summary>The lowest half-hour service level among half-hours with enough calls (see <see cref="SimulationOptions.WorstHalfHourMinCalls"/>).</summary>
    public required double WorstHalfHourServiceLevel { get; init; }

    /// <summary>Share of offered calls that abandoned.</summary>
    public double AbandonRate => OfferedCalls == 0 ? 0 : (double)AbandonedCalls / OfferedCalls;

    /// <summary>Cross-sell offers made (calls).</summary>
    public required int CrossSellCalls { get; init; }

    /// <summary>Offers accepted (calls).</summary>
    public required int CrossSellAcceptances { get; init; }

    /// <summary>Eligible calls answered in cross-sell mode whose offer the offer hold withheld (<see cref="Balancing.OfferHold"/>).</summary>
    public int HeldOffers { get; init; }

    /// <summary>Changes of an agent's effective mode while logged in (flips).</summary>
    public required int ModeFlips { get; init; }

    /// <summary>Agent time logged in over the day (hours).</summary>
    public required double AgentHours { get; init; }

    /// <summary>Flips per logged-in agent-hour.</summary>
    public double FlipsPerAgentHour => AgentHours <= 0 ? 0 : ModeFlips / AgentHours;

    /// <summary>How many timer runs the policy made.</summary>
    public required int PolicyRuns { get; init; }

    /// <summary>Per half-hour figures, in time order, for half-hours with traffic or staff.</summary>
    public required IReadOnlyList<HalfHourResult> HalfHours { get; init; }
}
