namespace CallBalancer.Core.Queueing;

/// <summary>
/// The exact steady-state performance of a cross-sell threshold rule, from <see cref="CrossSellThresholdPolicy.Evaluate"/>.
/// </summary>
/// <param name="Threshold">L: an eligible caller is offered a product only while at most L callers, itself included, are in the system (0 = never, N = whenever nobody waits).</param>
/// <param name="ProbabilityOfWaiting">Share of offered calls that find all agents busy.</param>
/// <param name="ServiceLevel">Share of all offered calls answered within the target seconds (abandoned calls never count).</param>
/// <param name="AverageWaitSeconds">Mean time in queue over all offered calls (seconds), by Little's law <c>E[queue]/λ</c>.</param>
/// <param name="AbandonmentProbability">Share of offered calls that hang up while waiting, <c>θ·E[queue]/λ</c> (0 without patience).</param>
/// <param name="MeanHandleSeconds">Mean handle time of answered calls, pitch included (seconds).</param>
/// <param name="OfferShare">Share of answered calls that carry an offer.</param>
/// <param name="OffersPerHour">Offers made per hour.</param>
/// <param name="Occupancy">Mean share of agents busy (serving or pitching).</param>
/// <param name="TruncatedMass">Stationary probability of the highest queue level kept; the truncation error is of this order.</param>
/// <param name="States">Number of states (calls in system × pitches in progress) of the chain solved.</param>
/// <param name="Sweeps">Iterations (block Gauss-Seidel sweeps with aggregation) the solve took.</param>
/// <param name="BalanceResidual">Σ|inflow − outflow| / Σ outflow over the states for the returned law: how far it is from solving the balance equations (0 = exact).</param>
public sealed record ThresholdPolicyEvaluation(
    int Threshold,
    double ProbabilityOfWaiting,
    double ServiceLevel,
    double AverageWaitSeconds,
    double AbandonmentProbability,
    double MeanHandleSeconds,
    double OfferShare,
    double OffersPerHour,
    double Occupancy,
    double TruncatedMass,
    int States,
    int Sweeps,
    double BalanceResidual);
