using System.Net;

namespace CallBalancer.Integration.Tests.Infrastructure.StrictTables;

/// <summary>An error the Table service answers with: the HTTP status and the service's error code (<c>x-ms-error-code</c>).</summary>
internal sealed class TableServiceException : Exception
{
    public TableServiceException()
    {
    }

    public TableServiceException(string message)
        : base(message)
    {
    }

    public TableServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TableServiceException(HttpStatusCode status, string errorCode, string message)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public HttpStatusCode Status { get; } = HttpStatusCode.BadRequest;

    public string ErrorCode { get; } = "InvalidInput";

    public static TableServiceException InvalidInput(string message) => new(HttpStatusCode.BadRequest, "InvalidInput", message);

    public static TableServiceException TableNotFound() => new(HttpStatusCode.NotFound, "TableNotFound", "The table specified does not exist.");

    public static TableServiceException ResourceNotFound() => new(HttpStatusCode.NotFound, "ResourceNotFound", "The specified resource does not exist.");

    public static TableServiceException EntityAlreadyExists() => new(HttpStatusCode.Conflict, "EntityAlreadyExists", "The specified entity already exists.");

    public static TableServiceException UpdateConditionNotSatisfied() =>
        new(HttpStatusCode.PreconditionFailed, "UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied.");
}
