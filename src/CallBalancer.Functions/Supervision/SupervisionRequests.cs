using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Functions.Supervision;

/// <summary>Checks shared by the supervisor endpoints.</summary>
internal static class SupervisionRequests
{
    /// <summary>
    /// The checks every per-queue supervisor endpoint makes first, in this order: the caller holds the supervisor role
    /// (401/403), then the queue id is legal (400).
    /// </summary>
    public static (SupervisorPrincipal? Principal, IActionResult? Problem) Authorize(
        Microsoft.AspNetCore.Http.HttpRequest request, Microsoft.Extensions.Configuration.IConfiguration configuration, string queueId)
    {
        var (principal, problem) = SupervisorPrincipal.Require(request, configuration);
        return problem is not null ? (null, problem) : QueueIdProblem(queueId) is { } bad ? (null, bad) : (principal, null);
    }

    private static ObjectResult? QueueIdProblem(string queueId) => TableKeys.IsValidId(queueId)
        ? null
        : Problems.Validation(new Dictionary<string, string[]> { ["queueId"] = ["Queue ids are 1-64 letters, digits, '.', '_', '-' or ':'."] });

    /// <summary>
    /// The <c>continuation</c> query parameter of a paged list: null when absent, or a 400 naming it when
    /// <paramref name="isValid"/> refuses it (not one a page of that list gave).
    /// </summary>
    public static (string? Value, IActionResult? Problem) Continuation(Microsoft.AspNetCore.Http.HttpRequest request, Func<string, bool> isValid)
    {
        var value = request.Query["continuation"].ToString();
        return value.Length == 0 ? (null, null)
            : isValid(value) ? (value, null)
            : (null, Problems.Validation(new Dictionary<string, string[]>
            {
                ["continuation"] = ["Not a continuation of this list: pass back the 'continuation' of the previous page."],
            }));
    }

    /// <summary>An integer query parameter clamped to a range, or the default when absent or malformed.</summary>
    public static int Take(Microsoft.AspNetCore.Http.HttpRequest request, int fallback, int max) =>
        int.TryParse(request.Query["take"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var take)
            ? Math.Clamp(take, 1, max)
            : fallback;
}
