using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace CallBalancer.Functions.Http;

/// <summary>
/// The signed-in user, as App Service authentication (Easy Auth) passes it: header <c>X-MS-CLIENT-PRINCIPAL</c>,
/// base64 JSON <c>{ "auth_typ", "name_typ", "role_typ", "claims": [{ "typ", "val" }] }</c>. With App Service
/// authentication on, the platform strips any such header a client sends and sets its own, so it is trusted when the
/// platform says authentication is on (<c>WEBSITE_AUTH_ENABLED=True</c>, which App Service sets itself). An app that
/// merely runs in Azure (<c>WEBSITE_SITE_NAME</c>) without it would pass a forged header through: there it is not
/// trusted, and supervisor endpoints refuse everyone (401) until authentication is configured (infra:
/// <c>supervisorAuthClientId</c>). Anywhere else it is trusted only with <c>CallBalancer__DevAuth__Enabled=true</c> (a
/// stand-in for local development).
/// </summary>
/// <param name="Name">The user's name, for the audit.</param>
/// <param name="Roles">The user's app roles.</param>
internal sealed record SupervisorPrincipal(string Name, IReadOnlyList<string> Roles)
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The role supervisor endpoints require.</summary>
    public const string SupervisorRole = "supervisor";

    private const string DefaultRoleType = "roles";
    private const string WsRoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    /// <summary>
    /// True when the principal header can be believed: App Service authentication is on (the platform then sets the
    /// header itself), or dev auth is switched on.
    /// </summary>
    public static bool IsHeaderTrusted(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Equals(configuration["WEBSITE_AUTH_ENABLED"] ?? Environment.GetEnvironmentVariable("WEBSITE_AUTH_ENABLED"), "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(configuration["CallBalancer:DevAuth:Enabled"], "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The caller if they hold <paramref name="role"/>; otherwise the problem to answer with: 401 when nobody
    /// (trusted) is signed in, 403 when they are but without the role.
    /// </summary>
    public static (SupervisorPrincipal? Principal, IActionResult? Problem) Require(HttpRequest request, IConfiguration configuration, string role = SupervisorRole)
    {
        ArgumentNullException.ThrowIfNull(request);
        var principal = IsHeaderTrusted(configuration) ? Parse(request.Headers[HeaderName].ToString()) : null;
        if (principal is null)
        {
            return (null, Problems.Create(StatusCodes.Status401Unauthorized, "Sign-in required.",
                $"This endpoint needs a signed-in user with the '{role}' role (App Service authentication)."));
        }

        return principal.Roles.Contains(role, StringComparer.OrdinalIgnoreCase)
            ? (principal, null)
            : (null, Problems.Create(StatusCodes.Status403Forbidden, "Forbidden.", $"This endpoint needs the '{role}' role."));
    }

    /// <summary>Reads the header value; null when absent or malformed.</summary>
    public static SupervisorPrincipal? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = doc.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString()! : DefaultRoleType;
            var nameType = root.TryGetProperty("name_typ", out var nt) && nt.ValueKind == JsonValueKind.String ? nt.GetString()! : "name";
            var claims = root.TryGetProperty("claims", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray()
                    .Where(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("typ", out _) && x.TryGetProperty("val", out _))
                    .Select(x => (Type: x.GetProperty("typ").GetString() ?? string.Empty, Value: x.GetProperty("val").GetString() ?? string.Empty))
                    .ToList()
                : [];
            var roles = claims.Where(x => x.Type == roleType || x.Type == DefaultRoleType || x.Type == WsRoleType).Select(x => x.Value)
                .Concat(UserRoles(root)).Distinct().ToList();
            // The claims' name, else the flat fields of the Static Web Apps shape ("userDetails", "userId"); a
            // principal naming nobody is not signed in, as the audit must say who.
            var name = claims.FirstOrDefault(x => x.Type == nameType).Value
                ?? claims.FirstOrDefault(x => x.Type is "name" or "preferred_username" or "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name").Value
                ?? Flat(root, "userDetails")
                ?? Flat(root, "userId");
            return string.IsNullOrWhiteSpace(name) ? null : new SupervisorPrincipal(name, roles);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Flat(JsonElement root, string property) =>
        root.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;

    /// <summary>The <c>"userRoles"</c> array some front ends (Static Web Apps) send instead of role claims.</summary>
    private static IEnumerable<string> UserRoles(JsonElement root) =>
        root.TryGetProperty("userRoles", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];

    /// <summary>Builds a header value (for tests and local tools).</summary>
    public static string Encode(string name, params string[] roles)
    {
        var claims = new List<object> { new { typ = "name", val = name } };
        claims.AddRange(roles.Select(r => new { typ = DefaultRoleType, val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", name_typ = "name", role_typ = DefaultRoleType, claims });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
