using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace CallBalancer.Functions.Http;

/// <summary>Instants in query strings (<c>from</c>, <c>to</c>): ISO 8601, UTC when no offset is given.</summary>
internal static class QueryInstants
{
    /// <summary>
    /// The instant in query parameter <paramref name="name"/>; <paramref name="fallback"/> when it is absent and a
    /// fallback is given; otherwise (absent and required, or malformed) an error under <paramref name="name"/>.
    /// </summary>
    public static DateTimeOffset Read(HttpRequest request, string name, Dictionary<string, string[]> errors, DateTimeOffset? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var raw = request.Query[name].ToString();
        if (raw.Length == 0 && fallback is { } value)
        {
            return value;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors[name] = [$"An ISO 8601 instant is required (e.g. 2026-11-01T00:00:00Z), got '{raw}'."];
        return fallback ?? default;
    }
}
