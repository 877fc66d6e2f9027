using System.Globalization;

namespace CallBalancer.Functions.Offers;

/// <summary>
/// The profile import format, one customer per line after a header:
/// <c>customerId,tier,tenureMonths,holdings,monthlySpending</c>, where holdings are <c>;</c>-separated product ids and
/// spending is <c>category:amount</c> pairs separated by <c>;</c>. Example:
/// <c>c-1001,gold,26,e-statement;sms-alerts,travel:420;dining:180</c>. No quoting is needed (no field holds a comma).
/// </summary>
internal static class CustomerCsv
{
    public const string Header = "customerId,tier,tenureMonths,holdings,monthlySpending";

    public static (List<Core.Offers.CustomerProfile> Profiles, Dictionary<string, string[]> Errors) Parse(string text, int maxRows)
    {
        var errors = new Dictionary<string, string[]>();
        var profiles = new List<Core.Offers.CustomerProfile>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || !string.Equals(lines[0].Trim().TrimStart('\uFEFF'), Header, StringComparison.OrdinalIgnoreCase))
        {
            errors["line 1"] = [$"The first line must be the header '{Header}'."];
            return (profiles, errors);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var where = $"line {i + 1}";
            if (profiles.Count >= maxRows)
            {
                errors[where] = [$"At most {maxRows} customers per import."];
                break;
            }

            var f = line.Split(',');
            if (f.Length != 5)
            {
                errors[where] = [$"Expected 5 fields, got {f.Length}."];
                continue;
            }

            int? tenure = int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
            var spending = new Dictionary<string, double>(StringComparer.Ordinal);
            var spendingOk = true;
            foreach (var pair in f[4].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var kv = pair.Split(':');
                if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !spending.TryAdd(kv[0], amount))
                {
                    spendingOk = false;
                }
            }

            if (!spendingOk)
            {
                errors[where + ": monthlySpending"] = ["Pairs 'category:amount' separated by ';', each category once."];
                continue;
            }

            var id = f[0].Trim();
            if (!seen.Add(id))
            {
                errors[where + ": customerId"] = [$"Customer '{id}' appears twice."];
                continue;
            }

            var profile = CustomerProfileValidator.Validate(id, f[1].Trim(), tenure,
                f[3].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), spending, errors, where + ": ");
            if (profile is not null)
            {
                profiles.Add(profile);
            }
        }

        return (profiles, errors);
    }
}
