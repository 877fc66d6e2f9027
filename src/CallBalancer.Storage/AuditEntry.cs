namespace CallBalancer.Storage;

/// <summary>One record of the append-only supervisor audit: who changed what, when, from what to what, and why.</summary>
/// <param name="Kind"><c>settings</c>, <c>override-set</c> or <c>override-cleared</c>.</param>
/// <param name="Subject">What changed: <c>settings</c> or the override id.</param>
/// <param name="Who">The supervisor's name from the authentication principal.</param>
/// <param name="At">When.</param>
/// <param name="OldJson">The value before, as JSON; null when there was none (defaults, or no override).</param>
/// <param name="NewJson">The value after, as JSON; null when removed.</param>
/// <param name="Reason">The supervisor's reason.</param>
public sealed record AuditEntry(string Kind, string Subject, string Who, DateTimeOffset At, string? OldJson, string? NewJson, string Reason);
