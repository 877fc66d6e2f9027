using System.Text.Json.Nodes;

namespace CallBalancer.Functions.OpenApi;

/// <summary>What the OpenAPI document says about one HTTP function beyond its route and methods.</summary>
/// <param name="Summary">One line.</param>
/// <param name="Tag">The group it is listed under.</param>
/// <param name="Responses">Status code to description.</param>
/// <param name="RequestBody">The JSON schema of the body, or null.</param>
/// <param name="Supervisor">True when it needs the <c>supervisor</c> role from App Service authentication.</param>
/// <param name="Query">Query parameters: name to description.</param>
/// <param name="Headers">Request headers: name to description (required ones start with "Required.").</param>
internal sealed record OperationDescription(
    string Summary,
    string Tag,
    IReadOnlyDictionary<string, string> Responses,
    JsonNode? RequestBody = null,
    bool Supervisor = false,
    IReadOnlyDictionary<string, string>? Query = null,
    IReadOnlyDictionary<string, string>? Headers = null);
