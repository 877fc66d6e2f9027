using CallBalancer.Core.Balancing;
using CallBalancer.Storage;

namespace CallBalancer.Functions.Balancing;

/// <summary>Checks a snapshot request field by field and turns it into a <see cref="QueueSnapshot"/>.</summary>
internal static class QueueSnapshotValidator
{
    /// <summary>Most agents one snapshot may list.</summary>
    public const int MaxAgents = 2000;

    /// <summary>Most callers one snapshot may say are waiting.</summary>
    public const int MaxWaitingCalls = 100_000;

    /// <summary>Clock skew tolerated for a snapshot from the future.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Oldest snapshot accepted: older ones describe a queue that no longer looks like that.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    public static (QueueSnapshot? Snapshot, Dictionary<string, string[]> Errors) Validate(
        string queueId, QueueSnapshotRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!TableKeys.IsValidId(queueId))
        {
            errors["queueId"] = ["Queue ids are 1-64 letters, digits, '.', '_', '-' or ':'."];
        }

        if (request.ObservedAt is not { } observedAt)
        {
            errors["observedAt"] = ["Required: an ISO-8601 timestamp with offset."];
        }
        else if (observedAt > now + MaxFutureSkew)
        {
            errors["observedAt"] = ["Is in the future (more than 5 minutes ahead of the server clock)."];
        }
        else if (observedAt < now - MaxAge)
        {
            errors["observedAt"] = ["Is more than a day old."];
        }

        if (request.WaitingCalls is not { } waiting)
        {
            errors["waitingCalls"] = ["Required: the number of callers waiting."];
        }
        else if (waiting is < 0 or > MaxWaitingCalls)
        {
            errors["waitingCalls"] = [$"Must be between 0 and {MaxWaitingCalls}."];
        }

        if (request.OldestWaitSeconds is not { } oldest)
        {
            errors["oldestWaitSeconds"] = ["Required: seconds the longest-waiting caller has waited (0 when nobody waits)."];
        }
        else if (!double.IsFinite(oldest) || oldest < 0 || oldest > 86_400)
        {
            errors["oldestWaitSeconds"] = ["Must be between 0 and 86400."];
        }
        else if (request.WaitingCalls == 0 && oldest > 0)
        {
            errors["oldestWaitSeconds"] = ["Must be 0 when waitingCalls is 0."];
        }

        var agents = new List<AgentPresence>();
        if (request.Agents is null)
        {
            errors["agents"] = ["Required: the queue's agents (may be empty)."];
        }
        else if (request.Agents.Count > MaxAgents)
        {
            errors["agents"] = [$"At most {MaxAgents} agents per snapshot."];
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < request.Agents.Count; i++)
            {
                var a = request.Agents[i];
                var path = $"agents[{i}]";
                if (a is null)
                {
                    errors[path] = ["Must be an object with agentId and state."];
                    continue;
                }

                if (!TableKeys.IsValidId(a.AgentId))
                {
                    errors[path + ".agentId"] = ["Required: 1-64 letters, digits, '.', '_', '-' or ':'."];
                }
                else if (!seen.Add(a.AgentId!))
                {
                    errors[path + ".agentId"] = [$"Agent '{a.AgentId}' is listed twice."];
                }

                if (!AgentStateNames.TryParseState(a.State, out var state))
                {
                    errors[path + ".state"] = [$"Required: one of {string.Join(", ", AgentStateNames.StateNames)}."];
                }
                else if (TableKeys.IsValidId(a.AgentId))
                {
                    agents.Add(new AgentPresence(a.AgentId!, state));
                }
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new QueueSnapshot(queueId, QueueSnapshot.NoLaterThan(request.ObservedAt!.Value, now), request.WaitingCalls!.Value, request.OldestWaitSeconds!.Value, agents), errors);
    }
}
