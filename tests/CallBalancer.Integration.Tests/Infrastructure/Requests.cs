using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>Builds requests for calling function classes directly, and reads their results.</summary>
internal static class Requests
{
    public static HttpRequest Json(string body, string contentType = "application/json", string method = "POST")
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = method;
        context.Request.ContentType = contentType;
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context.Request;
    }

    public static HttpRequest Get() => new DefaultHttpContext { Request = { Method = "GET" } }.Request;

    public static int Status(IActionResult result) => result switch
    {
        ObjectResult o => o.StatusCode ?? 200,
        StatusCodeResult s => s.StatusCode,
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    /// <summary>The result's body as JSON, serialised the way the HTTP pipeline would (camelCase).</summary>
    public static JsonElement Body(IActionResult result) =>
        JsonSerializer.SerializeToElement(((ObjectResult)result).Value, new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
