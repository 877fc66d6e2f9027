using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Functions.Http;

/// <summary>RFC 7807 problem-details answers, with <c>application/problem+json</c>.</summary>
internal static class Problems
{
    public static ObjectResult Create(int status, string title, string? detail = null, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is { Count: > 0 }
            ? new ValidationProblemDetails(errors) { Title = title, Status = status, Detail = detail }
            : new ProblemDetails { Title = title, Status = status, Detail = detail };
        problem.Type = status switch
        {
            400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
            412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
            413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
            428 => "https://www.rfc-editor.org/rfc/rfc6585#section-3",
            503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            _ => "about:blank",
        };
        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    public static ObjectResult Validation(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, "The request is invalid.", "See 'errors' for each invalid field.", errors);

    public static ObjectResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "Not found.", detail);

    public static ObjectResult StorageUnavailable(string? detail = null) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable.", detail ?? "Nothing was written. Retry later.");
}
