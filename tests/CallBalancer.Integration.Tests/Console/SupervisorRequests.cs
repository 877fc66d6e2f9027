using CallBalancer.Functions.Http;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>Requests as App Service authentication would pass them, and the configurations that trust or ignore them.</summary>
internal static class SupervisorRequests
{
    public static IConfiguration DevAuth(bool enabled = true) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["CallBalancer:DevAuth:Enabled"] = enabled ? "true" : "false" })
        .Build();

    /// <summary>An app in Azure: with App Service authentication on (the platform sets <c>WEBSITE_AUTH_ENABLED</c>), or not.</summary>
    public static IConfiguration Azure(bool authentication = true) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WEBSITE_SITE_NAME"] = "callbalancer-prod",
            ["WEBSITE_AUTH_ENABLED"] = authentication ? "True" : null,
        })
        .Build();

    public static HttpRequest Get(string? role = "supervisor", string name = "sue", string query = "")
    {
        var request = Requests.Get();
        request.QueryString = new QueryString(query);
        return As(request, role, name);
    }

    public static HttpRequest Json(string body, string method, string? role = "supervisor", string name = "sue", string? ifMatch = null)
    {
        var request = As(Requests.Json(body, method: method), role, name);
        if (ifMatch is not null)
        {
            request.Headers.IfMatch = ifMatch;
        }

        return request;
    }

    public static HttpRequest As(HttpRequest request, string? role, string name = "sue")
    {
        if (role is not null)
        {
            request.Headers[SupervisorPrincipal.HeaderName] = SupervisorPrincipal.Encode(name, role);
        }

        return request;
    }

    public static string ETag(HttpRequest request) => request.HttpContext.Response.Headers.ETag.ToString();
}
