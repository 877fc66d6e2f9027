using Azure;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>An agent's mode as read from storage, with the ETag a transition must match and the id of the write that set it.</summary>
/// <param name="State">The mode record.</param>
/// <param name="ETag">The entity's ETag at read time.</param>
/// <param name="WriteId">The per-write id stamped by the writer, so a retried write can recognise that it already committed.</param>
public sealed record StoredAgentMode(AgentModeState State, ETag ETag, string? WriteId);
