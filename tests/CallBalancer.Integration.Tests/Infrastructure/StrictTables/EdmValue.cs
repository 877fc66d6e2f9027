using System.Globalization;
using System.Text.Json;

namespace CallBalancer.Integration.Tests.Infrastructure.StrictTables;

/// <summary>
/// One typed property value as the Table service stores it. The wire format is OData JSON "minimal metadata": strings,
/// 32-bit integers and booleans are plain JSON; 64-bit integers, dates, GUIDs and binary carry an <c>@odata.type</c>
/// annotation (a double is written with a decimal point, so an integral double stays a double).
/// </summary>
internal sealed record EdmValue(EdmType Type, object Value)
{
    /// <summary>The service's size of a value in bytes (the unit of the 64 KiB property and 1 MiB entity limits).</summary>
    public int Size => Type switch
    {
        EdmType.String => 2 * ((string)Value).Length,
        EdmType.Binary => ((byte[])Value).Length,
        EdmType.Int32 => 4,
        EdmType.Boolean => 1,
        EdmType.Guid => 16,
        _ => 8,
    };

    /// <summary>Reads a property from a request body, as the service interprets it.</summary>
    /// <exception cref="TableServiceException">The value does not match its annotation (400, as the service answers).</exception>
    public static EdmValue? FromJson(string name, JsonElement value, string? annotation)
    {
        try
        {
            return (value.ValueKind, annotation) switch
            {
                (JsonValueKind.Null, _) => null,
                (JsonValueKind.String, null or "Edm.String") => new EdmValue(EdmType.String, value.GetString()!),
                (JsonValueKind.String, "Edm.Int64") => new EdmValue(EdmType.Int64, long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
                (JsonValueKind.String, "Edm.DateTime") => new EdmValue(EdmType.DateTime, ParseDate(value.GetString()!)),
                (JsonValueKind.String, "Edm.Guid") => new EdmValue(EdmType.Guid, Guid.Parse(value.GetString()!, CultureInfo.InvariantCulture)),
                (JsonValueKind.String, "Edm.Binary") => new EdmValue(EdmType.Binary, Convert.FromBase64String(value.GetString()!)),
                (JsonValueKind.String, "Edm.Double") => new EdmValue(EdmType.Double, double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)),
                (JsonValueKind.Number, "Edm.Double") => new EdmValue(EdmType.Double, value.GetDouble()),
                (JsonValueKind.Number, "Edm.Int32") => new EdmValue(EdmType.Int32, value.GetInt32()),
                (JsonValueKind.Number, null) when value.TryGetInt32(out var i) => new EdmValue(EdmType.Int32, i),
                (JsonValueKind.Number, null) => new EdmValue(EdmType.Double, value.GetDouble()),
                (JsonValueKind.True or JsonValueKind.False, null or "Edm.Boolean") => new EdmValue(EdmType.Boolean, value.GetBoolean()),
                _ => throw TableServiceException.InvalidInput($"Property '{name}' has a value that does not match its type '{annotation}'."),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException)
        {
            throw TableServiceException.InvalidInput($"Property '{name}' has a value that does not match its type '{annotation}'.");
        }
    }

    /// <summary>Writes the property (and its annotation when the type needs one).</summary>
    public void WriteJson(Utf8JsonWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var annotation = Type switch
        {
            EdmType.Int64 => "Edm.Int64",
            EdmType.DateTime => "Edm.DateTime",
            EdmType.Guid => "Edm.Guid",
            EdmType.Binary => "Edm.Binary",

            // A finite double goes as a JSON number with a decimal point (read back as a double); only NaN and the
            // infinities need the annotation, as strings.
            EdmType.Double when !double.IsFinite((double)Value) => "Edm.Double",
            _ => null,
        };
        if (annotation is not null)
        {
            writer.WriteString(name + "@odata.type", annotation);
        }

        writer.WritePropertyName(name);
        switch (Type)
        {
            case EdmType.String:
                writer.WriteStringValue((string)Value);
                break;
            case EdmType.Int32:
                writer.WriteNumberValue((int)Value);
                break;
            case EdmType.Int64:
                writer.WriteStringValue(((long)Value).ToString(CultureInfo.InvariantCulture));
                break;
            case EdmType.Double:
                var d = (double)Value;
                if (double.IsFinite(d))
                {
                    writer.WriteRawValue(d.ToString("R", CultureInfo.InvariantCulture) + (d == Math.Floor(d) && !d.ToString("R", CultureInfo.InvariantCulture).Contains('E', StringComparison.Ordinal) ? ".0" : string.Empty));
                }
                else
                {
                    writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case EdmType.Boolean:
                writer.WriteBooleanValue((bool)Value);
                break;
            case EdmType.DateTime:
                writer.WriteStringValue(FormatDate((DateTimeOffset)Value));
                break;
            case EdmType.Guid:
                writer.WriteStringValue(((Guid)Value).ToString("D"));
                break;
            case EdmType.Binary:
                writer.WriteBase64StringValue((byte[])Value);
                break;
        }
    }

    /// <summary>
    /// Compares two values as a filter does: values of different types never compare (the service does not convert,
    /// so <c>Count ge 3</c> does not match an Int64 property; it takes <c>3L</c>); null when they do not.
    /// </summary>
    public static int? Compare(EdmValue left, EdmValue right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Type != right.Type)
        {
            return null;
        }

        return left.Type switch
        {
            EdmType.String => string.CompareOrdinal((string)left.Value, (string)right.Value),
            EdmType.Int32 => ((int)left.Value).CompareTo((int)right.Value),
            EdmType.Int64 => ((long)left.Value).CompareTo((long)right.Value),
            EdmType.Double => ((double)left.Value).CompareTo((double)right.Value),
            EdmType.Boolean => ((bool)left.Value).CompareTo((bool)right.Value),
            EdmType.DateTime => ((DateTimeOffset)left.Value).UtcTicks.CompareTo(((DateTimeOffset)right.Value).UtcTicks),
            EdmType.Guid => ((Guid)left.Value).CompareTo((Guid)right.Value),
            EdmType.Binary => ((byte[])left.Value).AsSpan().SequenceCompareTo((byte[])right.Value),
            _ => null,
        };
    }

    /// <summary>The service's date format (100 ns precision, UTC).</summary>
    public static string FormatDate(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses a date as the service accepts it (ISO 8601, UTC or with an offset).</summary>
    public static DateTimeOffset ParseDate(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>For test failure messages.</summary>
    public override string ToString() => Type == EdmType.Binary
        ? $"{Type}:{Convert.ToBase64String((byte[])Value)}"
        : string.Create(CultureInfo.InvariantCulture, $"{Type}:{Value}");
}
