using CallBalancer.Core.Balancing;
using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions.Balancing;

/// <summary>
/// <c>GET /api/agents/{agentId}/mode</c>: the mode the agent desktop shows. Fails safe: when storage is unreachable
/// or the balancer has stopped rebalancing, the answer is <c>service-only</c> and says why.
/// </summary>
internal sealed class AgentModeFunction(
    AgentModeStore modes,
    LastRebalanceCache lastRebalance,
    IOptions<BalancingOptions> options,
    TimeProvider time,
    ILogger<AgentModeFunction> logger)
{
    [Function("GetAgentMode")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "agents/{agentId}/mode")] HttpRequest request,
        string agentId,
        CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(agentId))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["agentId"] = ["Agent ids are 1-64 letters, digits, '.', '_', '-' or ':'."],
            });
        }

        try
        {
            var state = await modes.GetAgentModeAsync(agentId, cancellationToken);
            if (state is null)
            {
                return Problems.NotFound($"No mode is recorded for agent '{agentId}'. An agent appears after its queue's first snapshot and rebalance.");
            }

            // Only a cross-sell answer depends on the balancer being alive, and on its queue being rebalanced; the check
            // is cached for a few seconds.
            var staleAfter = TimeSpan.FromSeconds(options.Value.StaleRebalanceSeconds);
            if (state.Mode == AgentMode.CrossSell)
            {
                var last = await lastRebalance.GetAsync(staleAfter, cancellationToken);
                if (RebalanceRunSummary.FailSafeReason(last, state, time.GetUtcNow(), staleAfter) is { } failSafe)
                {
                    return new OkObjectResult(AgentModeResponse.ServiceOnlyFailSafe(agentId, state.QueueId, failSafe, state.DecisionId));
                }
            }

            return new OkObjectResult(AgentModeResponse.From(state));
        }
        catch (Exception ex) when (StorageOutage.Is(ex, cancellationToken))
        {
            StorageOutage.Note(logger, ex, "mode", agentId, "answered service-only (fail safe)");
            return new OkObjectResult(AgentModeResponse.ServiceOnlyFailSafe(agentId, null,
                "Storage is unreachable, so the current mode cannot be read: service-only (fail safe).", null));
        }
    }
}
