namespace CallBalancer.Core.Queueing;

/// <summary>
/// What an Erlang model predicts for one queue with a fixed number of agents, in the steady state.
/// The same record serves Erlang C (no abandonment: <see cref="AbandonmentProbability"/> is 0) and Erlang A.
/// </summary>
/// <param name="Agents">N, agents taking calls.</param>
/// <param name="OfferedLoadErlangs">A = λ · AHT (Erlangs).</param>
/// <param name="TargetSeconds">T, the answer time of the service level (seconds).</param>
/// <param name="ProbabilityOfWaiting">P(W &gt; 0): share of offered calls that find every agent busy and queue.</param>
/// <param name="ServiceLevel">
/// Share of all offered calls that are answered within <paramref name="TargetSeconds"/>, counting calls answered at once.
/// Under Erlang A a caller who abandons never counts as answered within T, even when it abandoned before T.
/// </param>
/// <param name="AverageSpeedOfAnswerSeconds">ASA: mean wait of the answered calls (seconds); +∞ for an unstable Erlang C queue.</param>
/// <param name="AverageWaitSeconds">Mean time in queue over all offered calls, abandoned ones included until they hang up (seconds); equals ASA without abandonment.</param>
/// <param name="AbandonmentProbability">P(Ab): share of offered calls that hang up before an agent answers (0 under Erlang C).</param>
/// <param name="Occupancy">Share of the agents' time spent handling calls: carried load / N (0 to 1).</param>
/// <param name="IsStable">False when the model has no steady state: Erlang C with N ≤ A, where the queue grows without bound.</param>
public sealed record QueueMetrics(
    int Agents,
    double OfferedLoadErlangs,
    double TargetSeconds,
    double ProbabilityOfWaiting,
    double ServiceLevel,
    double AverageSpeedOfAnswerSeconds,
    double AverageWaitSeconds,
    double AbandonmentProbability,
    double Occupancy,
    bool IsStable);
