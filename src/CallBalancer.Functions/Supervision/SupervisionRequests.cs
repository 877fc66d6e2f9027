using CallBalancer.Functions.Http;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Functions.Supervision;

/// <summary>Checks shared by the supervisor endpoints.</summary>
internal static class SupervisionRequests
{
    public static ObjectResult? QueueIdProblem(string queueId) => TableKeys.IsValidId(queueId)
        ? null
        : Problems.Validation(new Dictionary<string, string[]> { ["queueId"] = ["Queue ids are 1-64 letters, digits, '.', '_', '-' or ':'."] });

    /// <summary>An integer query parameter clamped to a range, or the default when absent or malformed.</summary>
    public static int Take(Microsoft.AspNetCore.Http.HttpRequest request, int fallback, int max) =>
        int.TryParse(request.Query["take"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var take)
            ? Math.Clamp(take, 1, max)
            : fallback;
}
