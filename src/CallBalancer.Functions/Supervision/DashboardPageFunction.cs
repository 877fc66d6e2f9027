using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CallBalancer.Functions.Supervision;

/// <summary>
/// <c>GET /api/dashboard</c>: the supervisor console, one static page (HTML, vanilla JS, inline SVG) embedded in the
/// assembly, so the same page is served in Azure and by the dev host. Its data calls carry the signed-in user.
/// </summary>
internal sealed class DashboardPageFunction
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(DashboardPageFunction).Assembly.GetManifestResourceStream("CallBalancer.Functions.Supervision.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    [Function("GetDashboardPage")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        request.HttpContext.Response.Headers["Content-Security-Policy"] = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:";
        return new ContentResult { Content = Page.Value, ContentType = "text/html; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }
}
