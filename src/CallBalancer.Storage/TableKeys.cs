using System.Globalization;
using System.Text.RegularExpressions;

namespace CallBalancer.Storage;

/// <summary>Key rules shared by every table: what ids are allowed, and time-ordered RowKeys.</summary>
public static partial class TableKeys
{
    /// <summary>
    /// Ids (queues, agents) are 1-64 characters of letters, digits, '.', '_', '-' and ':'. That keeps them
    /// legal as PartitionKey/RowKey (which forbid '/', '\', '#', '?' and control characters) and in URLs.
    /// </summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>A RowKey that sorts newest first: <c>DateTime.MaxValue.Ticks - ticks</c>, 19 digits.</summary>
    public static string LogTail(DateTimeOffset at) =>
        (DateTime.MaxValue.Ticks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
