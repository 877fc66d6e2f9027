using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace CallBalancer.Functions.Http;

/// <summary>
/// Interim supervisor check until real role checks arrive (issue 7). It reads the <c>X-MS-CLIENT-PRINCIPAL</c> header
/// (base64 JSON, as App Service authentication "Easy Auth" injects it) and requires a <c>supervisor</c> role, either as
/// a claim (<c>{"claims":[{"typ":"roles","val":"supervisor"}]}</c>) or in <c>"userRoles"</c>. The header is trusted only
/// where something trustworthy sets it: in Azure (<c>WEBSITE_SITE_NAME</c> is set; Easy Auth strips a client-sent header)
/// or in the dev host with <c>CallBalancer__DevAuth__Enabled=true</c>. Anywhere else every supervisor call is refused.
/// </summary>
internal sealed class SupervisorPrincipal(IConfiguration configuration)
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string Role = "supervisor";

    private static readonly string[] RoleClaimTypes = ["roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    /// <summary>True when the header can be believed here.</summary>
    public bool Trusted =>
        configuration.GetValue<bool>("CallBalancer:DevAuth:Enabled") || !string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]);

    /// <summary>Null when the caller is a supervisor; otherwise the 401/403 problem to answer with.</summary>
    public IActionResult? Authorize(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Trusted)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Supervisor identity cannot be verified.",
                "Supervisor calls need App Service authentication (in Azure) or CallBalancer__DevAuth__Enabled=true (dev host only).");
        }

        var header = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Not signed in.", $"Send the {HeaderName} header of a signed-in supervisor.");
        }

        return HasRole(header, Role)
            ? null
            : Problems.Create(StatusCodes.Status403Forbidden, "Forbidden.", $"This call needs the '{Role}' role.");
    }

    /// <summary>True when the base64 JSON principal carries <paramref name="role"/>; false for anything malformed.</summary>
    internal static bool HasRole(string header, string role)
    {
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (root.TryGetProperty("userRoles", out var roles) && roles.ValueKind == JsonValueKind.Array
                && roles.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && r.GetString() == role))
            {
                return true;
            }

            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            return root.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array
                && claims.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.Object
                    && c.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String
                    && (RoleClaimTypes.Contains(typ.GetString()) || (roleType is not null && typ.GetString() == roleType))
                    && c.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String && val.GetString() == role);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A header value carrying the supervisor role (for tests, benchmarks and curl examples).</summary>
    public static string SupervisorHeaderValue() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\":[{\"typ\":\"roles\",\"val\":\"supervisor\"}]}"));
}
