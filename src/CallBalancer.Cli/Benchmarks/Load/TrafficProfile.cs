using System.Globalization;

namespace CallBalancer.Cli.Benchmarks.Load;

/// <summary>
/// What the load simulation takes from real calls (the Technion "Anonymous Bank" per-call records, February 1999,
/// <c>shared/data/anonymous_bank_1999_02_calls.csv</c>): the mix of call types offered to agents, which sizes the
/// simulated queues (one site's queues are its call types), and each type's answered service times, which the
/// simulated agents draw from. Phantom calls and callers who left in the VRU are not agent-queue calls and are skipped.
/// </summary>
internal sealed class TrafficProfile
{
    private TrafficProfile(IReadOnlyList<CallType> types, double abandonedShare)
    {
        Types = types;
        AbandonedShare = abandonedShare;
    }

    /// <summary>The call types, largest share first.</summary>
    public IReadOnlyList<CallType> Types { get; }

    /// <summary>Share of the calls offered to agents that hung up before an answer.</summary>
    public double AbandonedShare { get; }

    /// <summary>Reads the per-call file.</summary>
    public static TrafficProfile Load(string path)
    {
        var offered = new Dictionary<string, int>(StringComparer.Ordinal);
        var service = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var abandoned = 0;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var c = line.Split(',');
            if (c.Length < 16 || c[3] == "PHANTOM" || (c[3] == "HANG" && c[8].Length == 0))
            {
                continue;
            }

            var type = c[4].ToLowerInvariant();
            offered[type] = offered.GetValueOrDefault(type) + 1;
            if (c[3] == "HANG")
            {
                abandoned++;
            }
            else if (c[3] == "AGENT" && double.TryParse(c[12], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0)
            {
                (service.TryGetValue(type, out var list) ? list : service[type] = []).Add(s);
            }
        }

        var total = offered.Values.Sum();
        var types = offered
            .Where(t => service.ContainsKey(t.Key))
            .Select(t => new CallType(t.Key, (double)t.Value / total, service[t.Key]))
            .OrderByDescending(t => t.Share)
            .ToList();
        return new TrafficProfile(types, (double)abandoned / total);
    }

    /// <summary>
    /// Agents per simulated queue: queue <c>j</c> is call type <c>j mod types</c> of a site, and gets agents in
    /// proportion to that type's share (at least one), so each site of six queues looks like the Anonymous Bank's mix.
    /// With <paramref name="largestQueue"/> &gt; 0 the first queue is given that many agents instead (one very large queue).
    /// </summary>
    public IReadOnlyList<(CallType Type, int Agents)> QueueSizes(int agents, int queues, int largestQueue)
    {
        var weights = Enumerable.Range(0, queues).Select(j => Types[j % Types.Count].Share).ToArray();
        var rest = largestQueue > 0 ? agents - largestQueue : agents;
        var restWeight = weights.Skip(largestQueue > 0 ? 1 : 0).Sum();
        var sizes = weights.Select((w, j) => largestQueue > 0 && j == 0 ? largestQueue : Math.Max(1, (int)Math.Floor(rest * w / restWeight))).ToArray();

        // Hand the rounding remainder (or excess) to the largest queues, one agent each, so the total is exact.
        var order = Enumerable.Range(largestQueue > 0 ? 1 : 0, queues - (largestQueue > 0 ? 1 : 0)).OrderByDescending(j => sizes[j]).ToList();
        for (var k = 0; sizes.Sum() != agents; k++)
        {
            var j = order[k % order.Count];
            sizes[j] += sizes.Sum() < agents ? 1 : sizes[j] > 1 ? -1 : 0;
        }

        return sizes.Select((n, j) => (Types[j % Types.Count], n)).ToList();
    }

    /// <summary>One call type: its share of the calls offered to agents and its answered calls' service times (seconds).</summary>
    internal sealed record CallType(string Name, double Share, IReadOnlyList<double> ServiceSeconds)
    {
        /// <summary>Mean service (handle) time, seconds.</summary>
        public double MeanServiceSeconds { get; } = ServiceSeconds.Average();
    }
}
