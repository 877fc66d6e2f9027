namespace CallBalancer.Storage;

/// <summary>A mode transition lost an optimistic-concurrency race (HTTP 412/409): someone changed the agent's record since it was read.</summary>
public sealed class ModeConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModeConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModeConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the storage error.</summary>
    public ModeConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a queue and the agent whose write failed.</summary>
    public ModeConflictException(string queueId, string? agentId, Exception innerException)
        : base($"The mode of agent '{agentId}' in queue '{queueId}' changed since it was read.", innerException)
    {
        QueueId = queueId;
        AgentId = agentId;
    }

    /// <summary>The queue whose transaction failed.</summary>
    public string? QueueId { get; }

    /// <summary>The agent whose entity failed the condition, when the service said which.</summary>
    public string? AgentId { get; }

    /// <summary>
    /// Agents of the same decision whose writes had committed in earlier transactions before this one failed (a
    /// decision of more than 100 agents takes several transactions, and only each one is atomic).
    /// </summary>
    public IReadOnlyCollection<string> CommittedAgentIds { get; init; } = [];
}
