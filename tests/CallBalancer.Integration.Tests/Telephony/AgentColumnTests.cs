using System.Text.RegularExpressions;
using CallBalancer.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Integration.Tests.Telephony;

public sealed class AgentColumnTests
{
    private const string IdChars = "abcXYZ019._:-";

    [Property(MaxTest = 500)]
    public Property Every_valid_agent_id_maps_to_a_legal_property_name_and_back(NonEmptyArray<byte> picks)
    {
        var id = new string(picks.Get.Take(64).Select(b => IdChars[b % IdChars.Length]).ToArray());
        var column = IntervalStore.AgentColumn(id);
        var name = "Hc_" + column;
        return (TableKeys.IsValidId(id)
                && Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$")
                && name.Length <= 255
                && IntervalStore.AgentFromColumn(column) == id)
            .Label($"{id} -> {column}");
    }

    [Fact]
    public void Ids_that_differ_only_in_punctuation_get_different_columns()
    {
        var columns = new[] { "a.b", "a-b", "a_b", "a:b", "a_2Eb" }.Select(IntervalStore.AgentColumn).ToList();
        Assert.Equal(columns.Count, columns.Distinct(StringComparer.Ordinal).Count());
    }
}
