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

    /// <summary>
    /// The log tail of the tick before <paramref name="at"/> (<c>LogTail(at - 1 tick)</c>, without underflowing at
    /// <see cref="DateTimeOffset.MinValue"/>): rows logged before <paramref name="at"/> sort at or after it.
    /// </summary>
    public static string LogTailBefore(DateTimeOffset at) =>
        (DateTime.MaxValue.Ticks - at.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The instant a 19-digit log tail stands for (the inverse of <see cref="LogTail"/>), or null when it is not one.</summary>
    public static DateTimeOffset? LogTailInstant(ReadOnlySpan<char> tail) =>
        tail.Length == 19 && !tail.ContainsAnyExcept("0123456789")
            && long.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
                ? new DateTimeOffset(DateTime.MaxValue.Ticks - ticks, TimeSpan.Zero)
                : null;

    /// <summary>
    /// A stable shard number in [0, <paramref name="shards"/>) for a key (FNV-1a over its UTF-16 code units). Stable across
    /// processes and versions, unlike <see cref="string.GetHashCode()"/>, because a key must always land in the same
    /// partition for its dedupe row to be found again.
    /// </summary>
    public static int Shard(string key, int shards)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
