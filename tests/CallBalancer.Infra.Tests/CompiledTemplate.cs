using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CallBalancer.Infra.Tests;

/// <summary>
/// A compiled ARM template with its nested module deployments flattened, so tests can find a resource by type
/// wherever Bicep put it, and follow a value through module parameters back to the top-level default.
/// </summary>
internal sealed partial class CompiledTemplate
{
    private readonly List<TemplateResource> resources = [];

    public CompiledTemplate(string json)
    {
        Text = json;
        Root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("The compiled template is empty.");
        Collect(new TemplateScope(Root, Deployment: null, Parent: null));
    }

    /// <summary>The compiled JSON as written by bicep build.</summary>
    public string Text { get; }

    /// <summary>The top-level template.</summary>
    public JsonObject Root { get; }

    /// <summary>Every resource, in the top-level template and in every nested module template.</summary>
    public IReadOnlyList<TemplateResource> Resources => resources;

    public IReadOnlyList<TemplateResource> OfType(string type) =>
        resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public TemplateResource SingleOfType(string type)
    {
        var matches = OfType(type);
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>
    /// Follows <c>[parameters('x')]</c> through the module deployment's parameter values up to the top-level
    /// parameter default, and <c>[variables('x')]</c> to the variable's value. Anything else is returned as is.
    /// </summary>
    public static JsonNode? Resolve(TemplateScope scope, JsonNode? value)
    {
        for (var hops = 0; hops < 16 && value is JsonValue && value.GetValueKind() == System.Text.Json.JsonValueKind.String; hops++)
        {
            var text = value.GetValue<string>();
            var parameter = ParameterReference().Match(text);
            var variable = VariableReference().Match(text);
            if (parameter.Success)
            {
                var name = parameter.Groups[1].Value;
                var passed = scope.Deployment?["properties"]?["parameters"]?[name]?["value"];
                if (passed is not null && scope.Parent is not null)
                {
                    (scope, value) = (scope.Parent, passed);
                    continue;
                }

                var defaultValue = scope.Template["parameters"]?[name]?["defaultValue"];
                if (defaultValue is null)
                {
                    return value;
                }

                value = defaultValue;
            }
            else if (variable.Success)
            {
                var variableValue = scope.Template["variables"]?[variable.Groups[1].Value];
                if (variableValue is null)
                {
                    return value;
                }

                value = variableValue;
            }
            else
            {
                return value;
            }
        }

        return value;
    }

    private void Collect(TemplateScope scope)
    {
        foreach (var node in EnumerateResources(scope.Template))
        {
            var type = node["type"]?.GetValue<string>() ?? string.Empty;
            resources.Add(new TemplateResource(type, node, scope));
            if (string.Equals(type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                && node["properties"]?["template"] is JsonObject inner)
            {
                Collect(new TemplateScope(inner, node, scope));
            }
        }
    }

    // languageVersion 1.0 templates list resources in an array; 2.0 (symbolic names) keys them in an object.
    private static IEnumerable<JsonObject> EnumerateResources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject map => map.Select(pair => pair.Value).OfType<JsonObject>(),
        _ => [],
    };

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();
}

/// <summary>A template (top level or a module's inner template) and the deployment resource that holds it.</summary>
internal sealed record TemplateScope(JsonObject Template, JsonObject? Deployment, TemplateScope? Parent)
{
    /// <summary>Module deployment name ("function-app"), or null for the top-level template.</summary>
    public string? ModuleName => Deployment?["name"]?.GetValue<string>();
}

/// <summary>One resource declaration of the compiled template.</summary>
internal sealed record TemplateResource(string Type, JsonObject Node, TemplateScope Scope)
{
    public JsonNode? Properties => Node["properties"];

    /// <summary>The value at a slash-separated path under the resource, resolved through parameters and variables.</summary>
    public JsonNode? Resolved(string path)
    {
        JsonNode? node = Node;
        foreach (var segment in path.Split('/'))
        {
            node = node?[segment];
        }

        return CompiledTemplate.Resolve(Scope, node);
    }

    public string? ResolvedString(string path) => Resolved(path) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
