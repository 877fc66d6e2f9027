using System.Text.Json;
using CallBalancer.DevHost;
using CallBalancer.Functions;
using CallBalancer.Functions.OpenApi;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Integration.Tests.Console;

public sealed class OpenApiDocumentTests
{
    private static JsonElement Document()
    {
        var result = (ContentResult)new OpenApiFunction().Run(Requests.Get());
        Assert.StartsWith("application/json", result.ContentType, StringComparison.Ordinal);
        return JsonDocument.Parse(result.Content!).RootElement;
    }

    private static HashSet<string> Routed() =>
        FunctionCatalog.Discover(typeof(CallBalancerServiceCollectionExtensions).Assembly)
            .Where(f => f.Http is not null)
            .SelectMany(f => f.Methods.Select(m => m.ToLowerInvariant() + " " + f.Route))
            .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_route_and_method_the_hosts_serve_is_in_the_document_and_nothing_else()
    {
        var documented = Document().GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => op.Name + " " + p.Name))
            .ToHashSet(StringComparer.Ordinal);
        var routed = Routed();
        Assert.Empty(routed.Except(documented).Order());
        Assert.Empty(documented.Except(routed).Order());
        Assert.Contains("put /api/queues/{queueId}/settings", documented);
    }

    [Fact]
    public void Every_supervisor_function_is_authorised_by_role_alone_so_the_signed_in_console_can_call_it()
    {
        // In Azure a function-level trigger also wants a function key, which the dashboard in a supervisor's browser
        // does not have: its KPI panel got 401 there (invisible locally, where keys are not enforced).
        var supervisor = OpenApiDescriptions.All.Where(d => d.Value.Supervisor).Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var functions = FunctionCatalog.Discover(typeof(CallBalancerServiceCollectionExtensions).Assembly).Where(f => f.Http is not null).ToList();
        Assert.Contains("GetQueueKpi", supervisor);
        Assert.All(functions.Where(f => supervisor.Contains(f.Name)), f =>
            Assert.True(f.Http!.AuthLevel == Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous, $"{f.Name} is {f.Http.AuthLevel}"));
    }

    [Fact]
    public void Every_http_function_is_described_and_every_description_names_a_function()
    {
        var functions = OpenApiDocumentBuilder.HttpFunctions(typeof(CallBalancerServiceCollectionExtensions).Assembly).Select(f => f.Name).ToHashSet();
        var undescribed = functions.Except(OpenApiDescriptions.All.Keys).Order().ToList();
        var stale = OpenApiDescriptions.All.Keys.Except(functions).Order().ToList();
        Assert.True(undescribed.Count == 0, "Add to OpenApiDescriptions: " + string.Join(", ", undescribed));
        Assert.True(stale.Count == 0, "No such function: " + string.Join(", ", stale));
    }

    [Fact]
    public void Path_parameters_and_security_follow_the_routes()
    {
        var put = Document().GetProperty("paths").GetProperty("/api/queues/{queueId}/settings").GetProperty("put");
        var parameters = put.GetProperty("parameters").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("in").GetString())).ToList();
        Assert.Contains(("queueId", "path"), parameters);
        Assert.Contains(("If-Match", "header"), parameters);
        Assert.True(put.GetProperty("security")[0].TryGetProperty("appServiceAuthentication", out _));
        Assert.True(put.GetProperty("responses").TryGetProperty("412", out _));
    }
}
