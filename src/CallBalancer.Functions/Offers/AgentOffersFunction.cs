using CallBalancer.Core.Balancing;
using CallBalancer.Core.Offers;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using CallBalancer.Storage.Offers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Offers;

/// <summary>
/// <c>GET /api/agents/{agentId}/offers?customerId=...&amp;reason=...</c>: 3 to 5 offers for the caller on the line, best
/// first, each with a plain-language reason. In service-only mode (or when the mode cannot be trusted: storage down,
/// balancer stopped) the list is empty and the answer gives the mode. In cross-sell mode the offer hold applies: while
/// callers wait in the agent's queue, or fewer other agents than its <c>offerHoldMinIdleAgents</c> (3; less in a quiet
/// large queue, <see cref="CallBalancer.Core.Balancing.ModePolicy.OfferHoldReserve"/>; one fewer in a half-hour going far
/// better than the day's worst so far, <see cref="CallBalancer.Core.Balancing.OfferHold.EasedReserve"/>) are free, the list is empty
/// for this call and the answer says why; the mode does not change. The desktop calls it once the
/// caller's request is resolved, right before the pitch, so the hold judges the queue at the moment the pitch would
/// cost service (docs/offers.md).
/// </summary>
internal sealed class AgentOffersFunction(
    OfferService offers,
    AgentModeStore modes,
    LastRebalanceCache lastRebalance,
    OfferHoldCache offerHold,
    IOptions<BalancingOptions> balancing,
    TimeProvider time,
    ILogger<AgentOffersFunction> logger)
{
    [Function("GetAgentOffers")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "agents/{agentId}/offers")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken = default)
    {
        var customerId = request.Query["customerId"].ToString();
        var reasonCode = request.Query["reason"].ToString();
        var errors = new Dictionary<string, string[]>();
        if (!TableKeys.IsValidId(agentId))
        {
            errors["agentId"] = ["Agent ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        if (!TableKeys.IsValidId(customerId))
        {
            errors["customerId"] = ["A pseudonymous customer id (1-64 letters, digits, '.', '_', '-' or ':') is required."];
        }

        if (!OfferNames.TryParseReason(reasonCode, out var reason))
        {
            errors["reason"] = [$"Unknown call reason '{reasonCode}'; one of: {string.Join(", ", OfferNames.ReasonCodes)}."];
        }

        if (errors.Count > 0)
        {
            CallBalancerTelemetry.RecordRequest("offers", "rejected");
            return Problems.Validation(errors);
        }

        // The customer's reads start alongside the mode's: in cross-sell mode (the case that must be fast) they are
        // needed; in service-only mode they are wasted reads, which is cheaper than waiting for the mode first.
        var contextTask = offers.ReadContextAsync(customerId, reason, cancellationToken);
        AgentModeState? state;
        string? held;
        try
        {
            var staleAfter = TimeSpan.FromSeconds(balancing.Value.StaleRebalanceSeconds);
            var modeTask = modes.GetAgentModeAsync(agentId, cancellationToken);
            var lastTask = lastRebalance.GetAsync(staleAfter, cancellationToken);
            state = await modeTask;
            if (state is null)
            {
                Observe(contextTask);
                return Problems.NotFound($"No mode is recorded for agent '{agentId}'. An agent appears after its queue's first snapshot and rebalance.");
            }

            var last = await lastTask;
            if (state.Mode != AgentMode.CrossSell)
            {
                Observe(contextTask);
                return NoOffers(agentId, customerId, reason, "service-only", "The agent is in service-only mode: resolve the request only.");
            }

            if (RebalanceRunSummary.FailSafeReason(last, state, time.GetUtcNow(), staleAfter) is { } failSafe)
            {
                Observe(contextTask);
                return NoOffers(agentId, customerId, reason, "service-only", failSafe);
            }

            // The hold judges every queue the answer rests on: a shared agent's pitch keeps a caller waiting in any of them.
            var holds = await Task.WhenAll(state.AlsoStaffedIn.Prepend(state.QueueId).Select(q => offerHold.GetAsync(q, cancellationToken)));
            held = holds.Select(h => OfferHold.Reason(h.Snapshot, agentId, time.GetUtcNow(), h.Settings, h.HalfHourSoFar)).FirstOrDefault(r => r is not null);
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            logger.LogWarning(ex, "Storage unavailable; agent {AgentId} gets no offers (fail safe)", agentId);
            Observe(contextTask);
            return NoOffers(agentId, customerId, reason, "service-only", "Storage is unreachable, so the mode cannot be read: service-only (fail safe).",
                CallBalancerTelemetry.UnavailableOutcome);
        }

        if (held is not null)
        {
            // Nothing is shown, so nothing is saved: the customer's contact history is untouched.
            Observe(contextTask);
            return NoOffers(agentId, customerId, reason, "cross-sell", held, outcome: "held");
        }

        try
        {
            var (recommendation, shown) = await offers.RecommendAsync(agentId, state.QueueId, await contextTask, cancellationToken);
            CallBalancerTelemetry.RecordRequest("offers", shown.Count > 0 ? "offered" : "none");
            return new OkObjectResult(new
            {
                agentId,
                customerId,
                reason = reason.ToCode(),
                mode = "cross-sell",
                segment = recommendation.Segment,
                offers = shown.Zip(recommendation.Offers).Select(p => new
                {
                    offerId = p.First.OfferId,
                    productId = p.Second.ProductId,
                    name = p.Second.Name,
                    score = Math.Round(p.Second.Score, 4),
                    why = p.Second.Why,
                }),
                noOfferReason = recommendation.NoOfferReason,
            });
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            logger.LogWarning(ex, "Storage unavailable; no offers for agent {AgentId}", agentId);
            return NoOffers(agentId, customerId, reason, "cross-sell", "Storage is unreachable, so offers cannot be chosen safely now; no offer.",
                CallBalancerTelemetry.UnavailableOutcome);
        }
    }

    /// <summary>Lets an unneeded read finish on its own, its failure observed (not an unobserved task exception).</summary>
    private static void Observe(Task task) => task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static OkObjectResult NoOffers(string agentId, string customerId, CallReason reason, string mode, string why, string outcome = "none")
    {
        CallBalancerTelemetry.RecordRequest("offers", outcome);
        return new OkObjectResult(new { agentId, customerId, reason = reason.ToCode(), mode, segment = (string?)null, offers = Array.Empty<object>(), noOfferReason = why });
    }
}
