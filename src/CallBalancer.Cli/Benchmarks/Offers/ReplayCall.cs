using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>One served call of the Anonymous Bank file, with the call reason it is replayed as.</summary>
/// <param name="CallId">The source call id.</param>
/// <param name="CustomerId">The source's anonymised customer id.</param>
/// <param name="AgentId">The serving agent (source <c>server</c>; <c>unassigned</c> for NO_SERVER).</param>
/// <param name="CallType">The source call type (PS, PE, NW, NE, IN, TT).</param>
/// <param name="Reason">The reason assigned by <see cref="ReplayData.ReasonFor"/>.</param>
/// <param name="AnsweredAt">When an agent answered (UTC).</param>
/// <param name="ServiceSeconds">Source service time (seconds).</param>
internal sealed record ReplayCall(string CallId, string CustomerId, string AgentId, string CallType, CallReason Reason, DateTimeOffset AnsweredAt, double ServiceSeconds);
