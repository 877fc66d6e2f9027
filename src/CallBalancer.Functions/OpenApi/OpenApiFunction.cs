using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CallBalancer.Functions.OpenApi;

/// <summary><c>GET /api/openapi.json</c>: the OpenAPI 3.0 document of the whole HTTP API.</summary>
internal sealed class OpenApiFunction
{
    private static readonly Lazy<string> Document = new(() =>
        OpenApiDocumentBuilder.Build(typeof(OpenApiFunction).Assembly,
            typeof(OpenApiFunction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown")
        .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

    [Function("GetOpenApi")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new ContentResult { Content = Document.Value, ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
}
