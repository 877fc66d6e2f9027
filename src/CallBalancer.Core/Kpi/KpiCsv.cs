using System.Globalization;
using System.Text;

namespace CallBalancer.Core.Kpi;

/// <summary>
/// KPI reports as CSV for spreadsheets (RFC 4180, invariant culture, CRLF line ends): one row per report with its scope
/// (<c>queue</c>, <c>agent</c> or <c>unattributed</c> for the queue's calls that name no agent) and id. A text cell that a
/// spreadsheet would read as a formula (starting with =, +, -, @, tab or CR) is prefixed with an apostrophe.
/// </summary>
public static class KpiCsv
{
    /// <summary>The header row's columns.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["scope", "id", "from", "to", "offersMade", "acceptances", "conversion", "weightedCredit", "callsHandled", "averageHandleSeconds"];

    /// <summary>The CSV of the rows, header first.</summary>
    public static string Write(IEnumerable<(string Scope, string Id, KpiReport Report)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns).Append("\r\n");
        foreach (var (scope, id, r) in rows)
        {
            // Text cells are quoted and defused; the numbers are written as they are (a net acceptance count can be -1).
            csv.AppendJoin(',',
            [
                Cell(scope),
                Cell(id),
                r.From.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                r.To.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                r.OffersMade.ToString(CultureInfo.InvariantCulture),
                r.Acceptances.ToString(CultureInfo.InvariantCulture),
                r.Conversion is { } c ? Math.Round(c, 4).ToString(CultureInfo.InvariantCulture) : string.Empty,
                (Math.Round(r.WeightedCredit, 6) + 0.0).ToString(CultureInfo.InvariantCulture), // + 0.0: a net zero is 0, not -0
                r.CallFacts?.CallsHandled.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                r.CallFacts?.AverageHandleSeconds is { } aht ? Math.Round(aht, 1).ToString(CultureInfo.InvariantCulture) : string.Empty,
            ]).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>One cell as written: quoted when it holds a comma, quote or line break; defused when it starts a formula.</summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
