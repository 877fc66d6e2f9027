using CallBalancer.Core.Telephony;
using CallBalancer.Storage;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Telephony;

/// <summary>
/// The id rules of the webhooks and of every table key: letters, digits, '.', '_', '-' and ':' only, judged character
/// by character here. A regular expression's <c>$</c> also matches before a final newline, which the Table service
/// refuses in a key: such an id passed validation and failed at storage with a 500, after other writes had been made.
/// </summary>
public sealed class IdRulesTests
{
    private static bool Legal(string id, int maxLength) =>
        id.Length >= 1 && id.Length <= maxLength && id.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' or ':');

    [Theory]
    [InlineData("cards\n")]
    [InlineData("cards\r\n")]
    [InlineData("\ncards")]
    [InlineData("ca\nrds")]
    [InlineData("cards\t")]
    public void An_id_with_a_control_character_anywhere_is_refused(string id)
    {
        Assert.False(TelephonyIds.IsValid(id, TelephonyIds.MaxShortId));
        Assert.False(TableKeys.IsValidId(id));
    }

    [Property(MaxTest = 500)]
    public bool Telephony_ids_are_valid_exactly_when_every_character_is_allowed(string? id, bool newline)
    {
        var candidate = id is null ? null : newline ? id + "\n" : id;
        return TelephonyIds.IsValid(candidate, TelephonyIds.MaxLongId) == (candidate is not null && Legal(candidate, TelephonyIds.MaxLongId));
    }

    [Property(MaxTest = 500)]
    public bool Table_key_ids_are_valid_exactly_when_every_character_is_allowed(string? id, bool newline)
    {
        var candidate = id is null ? null : newline ? id + "\n" : id;
        return TableKeys.IsValidId(candidate) == (candidate is not null && Legal(candidate, 64));
    }
}
