using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Functions.Http;

/// <summary>
/// Reads a JSON request body strictly: JSON content type only (415), a size cap (413), well-formed JSON of the
/// right types (400 naming the field). Nothing is written by a caller that gets a problem back.
/// </summary>
internal static class JsonBody
{
    /// <summary>The largest body any endpoint accepts (bytes).</summary>
    public const int DefaultMaxBytes = 256 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Web defaults accept numbers written as strings; a telephony payload with "waitingCalls": "3" is a bug to report.
        NumberHandling = JsonNumberHandling.Strict,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>The parsed body, or the problem to answer with.</summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadAsync<T>(
        HttpRequest request, int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
        where T : class
    {
        var contentType = request.ContentType;
        if (contentType is null || !IsJson(contentType))
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                $"Send the body as application/json (got '{contentType ?? "none"}')."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "The request body is empty.", "Send a JSON object."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
            return value is null
                ? (null, Problems.Create(StatusCodes.Status400BadRequest, "The request body is invalid.", "Send a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            // Name the field as the request spells it ("agents[0].state"), not as a JSON path ("$.agents[0].state").
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
            var message = ex.Path is null
                ? "The body is not well-formed JSON."
                : $"The value at '{field}' is malformed or of the wrong type.";
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "The request body is invalid.", message,
                new Dictionary<string, string[]> { [field] = [message] }));
        }
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static ObjectResult TooLarge(int maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
            $"The limit is {maxBytes / 1024} KB.");
}
