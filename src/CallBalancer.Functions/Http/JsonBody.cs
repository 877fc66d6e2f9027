using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Functions.Http;

/// <summary>
/// Reads a JSON request body strictly: JSON content type only (415), a size cap (413), well-formed JSON of the
/// right types (400 naming the field). Nothing is written by a caller that gets a problem back.
/// </summary>
internal static partial class JsonBody
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
        Converters = { new OffsetTimestampConverter() },
    };

    /// <summary>The parsed body, or the problem to answer with.</summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadAsync<T>(
        HttpRequest request, int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
        where T : class
    {
        var (bytes, problem) = await ReadBytesAsync(request, maxBytes, cancellationToken);
        return problem is not null ? (null, problem) : Parse<T>(bytes!);
    }

    /// <summary>
    /// The raw body of a JSON request (for endpoints that verify a signature over the exact bytes before parsing),
    /// or the problem to answer with: 415 for another content type, 413 over <paramref name="maxBytes"/>, 400 when empty.
    /// </summary>
    public static async Task<(byte[]? Body, IActionResult? Problem)> ReadBytesAsync(
        HttpRequest request, int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        var contentType = request.ContentType;
        if (contentType is null || !IsJson(contentType))
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                $"Send the body as application/json (got '{contentType ?? "none"}')."));
        }

        var (bytes, problem) = await ReadLimitedAsync(request, maxBytes, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        return bytes!.Length == 0
            ? (null, Problems.Create(StatusCodes.Status400BadRequest, "The request body is empty.", "Send a JSON object."))
            : (bytes, null);
    }

    /// <summary>Reads the body whatever its type, stopping with 413 as soon as it passes <paramref name="maxBytes"/>.</summary>
    public static async Task<(byte[]? Body, IActionResult? Problem)> ReadLimitedAsync(
        HttpRequest request, int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
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

        return (buffer.ToArray(), null);
    }

    /// <summary>Deserialises a body read by <see cref="ReadBytesAsync"/>: 400 naming the field on malformed JSON or a wrong type.</summary>
    public static (T? Value, IActionResult? Problem) Parse<T>(ReadOnlySpan<byte> body)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null
                ? (null, Problems.Create(StatusCodes.Status400BadRequest, "The request body is invalid.", "Send a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            // Name the field as the request spells it ("agents[0].state"), not as a JSON path ("$.agents[0].state").
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
            var timestamp = ex is OffsetTimestampConverter.TimestampException;
            var message = ex.Path is null ? "The body is not well-formed JSON."
                : timestamp ? OffsetTimestampConverter.Message
                : UnknownField(ex) is { } unknown ? $"'{unknown}' is not a field of this request (check its spelling); nothing was saved."
                : $"The value at '{field}' is malformed or of the wrong type.";
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "The request body is invalid.",
                timestamp ? $"'{field}': {message}" : message, new Dictionary<string, string[]> { [field] = [message] }));
        }
    }

    /// <summary>Parses a body into a document (for platform payloads read field by field), or the 400 to answer with.</summary>
    public static (JsonDocument? Document, IActionResult? Problem) ParseDocument(ReadOnlyMemory<byte> body)
    {
        try
        {
            return (JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 }), null);
        }
        catch (JsonException)
        {
            const string message = "The body is not well-formed JSON.";
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "The request body is invalid.", message,
                new Dictionary<string, string[]> { ["$"] = [message] }));
        }
    }

    /// <summary>
    /// The property a <c>[JsonUnmappedMemberHandling(Disallow)]</c> request refused, or null for any other failure.
    /// System.Text.Json names it only in its message.
    /// </summary>
    private static string? UnknownField(JsonException ex) =>
        UnmappedProperty().Match(ex.Message) is { Success: true } m ? m.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex("^The JSON property '(.+?)' could not be mapped to any \\.NET member")]
    private static partial System.Text.RegularExpressions.Regex UnmappedProperty();

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
