namespace CallBalancer.Storage;

/// <summary>A supervisor change lost a race: the record changed (or appeared) since the version the change was based on.</summary>
public sealed class SupervisionConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SupervisionConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SupervisionConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the storage error.</summary>
    public SupervisionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a queue's record.</summary>
    public SupervisionConflictException(string queueId, string subject, Exception? innerException)
        : base($"The {subject} of queue '{queueId}' changed since it was read.", innerException)
    {
        QueueId = queueId;
        Subject = subject;
    }

    /// <summary>The queue.</summary>
    public string? QueueId { get; }

    /// <summary>What changed underneath: <c>settings</c> or an override id.</summary>
    public string? Subject { get; }
}
