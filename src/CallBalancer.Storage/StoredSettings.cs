using Azure;
using CallBalancer.Core.Supervision;

namespace CallBalancer.Storage;

/// <summary>A queue's supervisor settings as stored, with the ETag that versions them.</summary>
/// <param name="Settings">The settings.</param>
/// <param name="ETag">The version; a change must name it.</param>
/// <param name="UpdatedBy">Who saved them.</param>
/// <param name="UpdatedAt">When.</param>
public sealed record StoredSettings(SupervisorSettings Settings, ETag ETag, string UpdatedBy, DateTimeOffset UpdatedAt);
