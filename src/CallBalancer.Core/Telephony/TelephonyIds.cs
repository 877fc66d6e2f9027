using System.Text.RegularExpressions;

namespace CallBalancer.Core.Telephony;

/// <summary>
/// Which ids the telephony model accepts: letters, digits, '.', '_', '-' and ':' only, so every id is usable as a
/// Table storage key and in a URL. Queue and agent ids are at most 64 characters; event and call ids at most 128.
/// </summary>
public static partial class TelephonyIds
{
    /// <summary>Longest queue or agent id.</summary>
    public const int MaxShortId = 64;

    /// <summary>Longest event or call id.</summary>
    public const int MaxLongId = 128;

    /// <summary>True for a legal id of at most <paramref name="maxLength"/> characters.</summary>
    public static bool IsValid(string? id, int maxLength) =>
        id is not null && id.Length >= 1 && id.Length <= maxLength && IdPattern().IsMatch(id);

    /// <summary>The last segment of an ARN or path (<c>.../queue/abc</c> gives <c>abc</c>).</summary>
    public static string LastSegment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.LastIndexOf('/');
        return slash >= 0 ? value[(slash + 1)..] : value;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
