using System.Globalization;
using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>
/// Reads <c>anonymous_bank_1999_02_calls.csv</c> for the offers replay: served calls (outcome AGENT, answered) of
/// identified customers (customer_id != 0). The file has call types but no call reasons and no customer profiles, so
/// both are assigned here, deterministically and documented in docs/benchmarks/offers.md:
/// NW (prospective customer) -> promotion-enquiry; NE (stock exchange), IN (internet support), TT (call-back) -> general;
/// PS and PE (regular service) -> a fixed mix of service reasons chosen by a hash of the call id.
/// </summary>
internal static class ReplayData
{
    /// <summary>Israel standard time, February 1999.</summary>
    private static readonly TimeSpan SourceOffset = TimeSpan.FromHours(2);

    /// <summary>The mix for regular service calls (PS/PE): cumulative shares.</summary>
    private static readonly (double Upto, CallReason Reason)[] ServiceMix =
    [
        (0.30, CallReason.BillEnquiry),
        (0.50, CallReason.Payment),
        (0.60, CallReason.CardActivation),
        (0.90, CallReason.General),
        (0.96, CallReason.Complaint),
        (0.98, CallReason.LostCard),
        (0.995, CallReason.FraudReport),
        (1.00, CallReason.Bereavement),
    ];

    public static List<ReplayCall> Load(string path, int? limit)
    {
        var calls = new List<ReplayCall>();
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new CliUsageException($"{path} has no '{name}' column.");
        int answered = Col("answered_at"), outcome = Col("outcome"), type = Col("call_type"), server = Col("server"),
            service = Col("ser_time_s"), callId = Col("call_id"), customer = Col("customer_id");
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var f = line.Split(',');
            // 21 rows carry ids mangled into scientific notation upstream (e.g. 3.26702E+11): not identifiable, skipped.
            if (f[outcome] != "AGENT" || f[answered].Length == 0 || f[customer] is "0" or "" || !f[customer].All(char.IsAsciiDigit))
            {
                continue;
            }

            var at = new DateTimeOffset(DateTime.ParseExact(f[answered], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), SourceOffset);
            var agent = f[server] == "NO_SERVER" ? "unassigned" : f[server];
            calls.Add(new ReplayCall(f[callId], f[customer], agent, f[type], ReasonFor(f[type], f[callId]), at,
                double.Parse(f[service], CultureInfo.InvariantCulture)));
        }

        calls.Sort((a, b) => a.AnsweredAt.CompareTo(b.AnsweredAt));
        return limit is { } n ? calls.Take(n).ToList() : calls;
    }

    public static CallReason ReasonFor(string callType, string callId)
    {
        switch (callType)
        {
            case "NW":
                return CallReason.PromotionEnquiry;
            case "NE" or "IN" or "TT":
                return CallReason.General;
        }

        var u = StableHash.Uniform("reason", callId);
        return ServiceMix.First(m => u < m.Upto).Reason;
    }

    /// <summary>
    /// A synthetic profile per customer (the data has none), from a hash of the id: 20% have no profile (unknown
    /// callers); tiers 55% classic, 35% gold, 10% platinum; tenure 0-119 months; each product held with 20%; each
    /// spending category with 40%.
    /// </summary>
    public static CustomerProfile? ProfileFor(string customerId)
    {
        if (StableHash.Uniform("known", customerId) < 0.2)
        {
            return null;
        }

        var t = StableHash.Uniform("tier", customerId);
        var tier = t < 0.55 ? CardTier.Classic : t < 0.90 ? CardTier.Gold : CardTier.Platinum;
        var tenure = (int)(StableHash.Uniform("tenure", customerId) * 120);
        var holdings = SeedCatalogue.Products.Where(p => StableHash.Uniform("holds", customerId, p.ProductId) < 0.2)
            .Select(p => p.ProductId).ToHashSet(StringComparer.Ordinal);
        var spending = Categories.Where(c => StableHash.Uniform("spends", customerId, c) < 0.4)
            .ToDictionary(c => c, c => Math.Round(50 + 500 * StableHash.Uniform("amount", customerId, c)), StringComparer.Ordinal);
        return new CustomerProfile(customerId, tier, tenure, holdings, spending);
    }

    public static readonly string[] Categories = ["travel", "dining", "groceries", "retail", "electronics", "fuel"];
}
