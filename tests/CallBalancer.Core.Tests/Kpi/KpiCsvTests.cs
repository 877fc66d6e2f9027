using CallBalancer.Core.Kpi;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Kpi;

public sealed class KpiCsvTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    // A minimal RFC 4180 reader: what a spreadsheet would see.
    private static List<List<string>> Parse(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; i++; }
            else { cell.Append(c); }
        }

        return rows;
    }

    [Property(MaxTest = 300)]
    public Property Every_row_reads_back_with_its_figures_and_text_cells_never_start_a_formula(NonEmptyString id, int offers, int accepts, short creditCents, PositiveInt calls)
    {
        var report = new KpiReport(From, From.AddDays(30), Math.Abs(offers % 10_000), accepts % 100, creditCents / 100.0, Math.Abs(offers % 10_000),
            new AgentCallFacts(calls.Get % 10_000, calls.Get % 10_000 * 187.5));
        var text = id.Get;
        var rows = Parse(KpiCsv.Write([("agent", text, report)]));
        var cells = rows[1];
        var idCell = cells[1];
        var readBack = idCell.StartsWith('\'') && text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal) ? idCell[1..] : idCell;
        return (rows.Count == 2
                && rows[0].SequenceEqual(KpiCsv.Columns)
                && cells.Count == KpiCsv.Columns.Count
                && readBack == text
                && !"=+-@\t\r".Contains(idCell.Length > 0 ? idCell[0] : 'x', StringComparison.Ordinal)
                && int.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture) == report.OffersMade
                && int.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture) == report.Acceptances
                && Math.Abs(double.Parse(cells[7], System.Globalization.CultureInfo.InvariantCulture) - report.WeightedCredit) < 1e-6
                && int.Parse(cells[8], System.Globalization.CultureInfo.InvariantCulture) == report.CallFacts!.CallsHandled)
            .Label($"{KpiCsv.Write([("agent", text, report)])}");
    }

    [Fact]
    public void A_net_negative_acceptance_count_stays_a_number_and_missing_figures_are_empty()
    {
        var reversalsOnly = new KpiReport(From, From.AddDays(1), 0, -1, -2.5, 1, null);
        var cells = Parse(KpiCsv.Write([("queue", "cards", reversalsOnly)]))[1];
        Assert.Equal(["queue", "cards", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "0", "-1", "", "-2.5", "", ""], cells);
    }
}
