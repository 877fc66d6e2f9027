using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallBalancer.Functions.Http;

/// <summary>
/// Reads a timestamp in a request body only when it says which instant it is: ISO 8601 with a time and an explicit
/// offset (<c>Z</c> or <c>±hh:mm</c>). System.Text.Json would read <c>"2026-11-28T09:50:00"</c>, or a bare date, in the
/// server's own time zone, so the same body would count in another interval (or be refused as in the future) depending
/// on where the host runs.
/// </summary>
internal sealed class OffsetTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Message = "Must be an ISO-8601 timestamp with a time and an offset (Z or \u00b1hh:mm), e.g. 2026-11-28T09:50:00Z.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value) || !HasOffset(reader.GetString()!))
        {
            throw new TimestampException();
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    /// <summary>True when the text after the date's 'T' ends in Z or carries a signed offset.</summary>
    internal static bool HasOffset(string text)
    {
        var t = text.IndexOfAny(['T', 't']);
        if (t < 0)
        {
            return false;
        }

        var time = text.AsSpan(t + 1);
        return time.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || time.IndexOfAny('+', '-') >= 0;
    }

    /// <summary>The converter's refusal, so the 400 can say what a timestamp must look like.</summary>
    internal sealed class TimestampException : JsonException
    {
        public TimestampException()
            : base(OffsetTimestampConverter.Message)
        {
        }
    }
}
