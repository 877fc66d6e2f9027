using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace CallBalancer.Functions.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.0 document of the HTTP API: one operation per <see cref="HttpTriggerAttribute"/> method and
/// route (read from the attributes, as the Functions host and the dev host do), described by <see cref="OpenApiDescriptions"/>.
/// </summary>
internal static partial class OpenApiDocumentBuilder
{
    /// <summary>Every HTTP function of the app: name, methods (lower case) and route (without the <c>/api</c> prefix).</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<string> Methods, string Route, AuthorizationLevel Level)> HttpFunctions(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var result = new List<(string, IReadOnlyList<string>, string, AuthorizationLevel)>();
        foreach (var method in assembly.GetTypes().Where(t => t.IsClass).SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public)))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (function is not null && trigger is not null)
            {
                var methods = (trigger.Methods ?? ["get", "post"]).Select(m => m.ToLowerInvariant()).ToList();
                result.Add((function.Name, methods, trigger.Route ?? function.Name, trigger.AuthLevel));
            }
        }

        return result.OrderBy(f => f.Item3, StringComparer.Ordinal).ToList();
    }

    public static JsonObject Build(Assembly assembly, string version)
    {
        var paths = new JsonObject();
        foreach (var (name, methods, route, level) in HttpFunctions(assembly))
        {
            var path = "/api/" + route.TrimStart('/');
            if (paths[path] is not JsonObject item)
            {
                paths[path] = item = new JsonObject();
            }

            OpenApiDescriptions.All.TryGetValue(name, out var d);
            foreach (var method in methods)
            {
                item[method] = Operation(name, route, level, d);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "CallBalancer",
                ["version"] = version,
                ["description"] = "Balances inbound service and cross-sell per agent. Supervisor operations need App Service authentication with the 'supervisor' role.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                    ["appServiceAuthentication"] = new JsonObject
                    {
                        ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-MS-CLIENT-PRINCIPAL",
                        ["description"] = "Set by App Service authentication (base64 JSON with 'roles' claims); needs the 'supervisor' role.",
                    },
                },
                ["schemas"] = new JsonObject
                {
                    ["ProblemDetails"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" }, ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" }, ["detail"] = new JsonObject { ["type"] = "string" },
                            ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject Operation(string name, string route, AuthorizationLevel level, OperationDescription? d)
    {
        var parameters = new JsonArray();
        foreach (Match m in RouteParameter().Matches(route))
        {
            parameters.Add(new JsonObject { ["name"] = m.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var (q, text) in d?.Query ?? new Dictionary<string, string>())
        {
            parameters.Add(new JsonObject { ["name"] = q, ["in"] = "query", ["required"] = text.StartsWith("Required.", StringComparison.Ordinal), ["description"] = text, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var (h, text) in d?.Headers ?? new Dictionary<string, string>())
        {
            parameters.Add(new JsonObject { ["name"] = h, ["in"] = "header", ["required"] = text.StartsWith("Required.", StringComparison.Ordinal), ["description"] = text, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        var responses = new JsonObject();
        foreach (var (status, text) in d?.Responses ?? new Dictionary<string, string> { ["200"] = "OK." })
        {
            var response = new JsonObject { ["description"] = text };
            if (status[0] is '4' or '5')
            {
                response["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/ProblemDetails" } } };
            }

            responses[status] = response;
        }

        var operation = new JsonObject
        {
            ["operationId"] = name,
            ["summary"] = d?.Summary ?? "(not described yet)",
            ["tags"] = new JsonArray(d?.Tag ?? "Other"),
            ["parameters"] = parameters,
            ["responses"] = responses,
        };
        if (d?.RequestBody is { } body)
        {
            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = body.DeepClone() } } };
        }

        var scheme = d?.Supervisor == true ? "appServiceAuthentication" : level == AuthorizationLevel.Function ? "functionKey" : null;
        if (scheme is not null)
        {
            operation["security"] = new JsonArray(new JsonObject { [scheme] = new JsonArray() });
        }

        return operation;
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
