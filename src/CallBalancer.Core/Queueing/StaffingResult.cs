namespace CallBalancer.Core.Queueing;

/// <summary>The least number of agents that meets a <see cref="StaffingTarget"/>, with what the model predicts for it.</summary>
/// <param name="Agents">N, the least agents meeting the target.</param>
/// <param name="Metrics">The prediction at <paramref name="Agents"/> (its service level, ASA, abandonment, occupancy).</param>
public sealed record StaffingResult(int Agents, QueueMetrics Metrics);
