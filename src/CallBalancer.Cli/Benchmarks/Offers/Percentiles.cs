namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>Nearest-rank percentiles of latency samples.</summary>
internal static class Percentiles
{
    public static object Of(IReadOnlyList<double> samples, string unit)
    {
        if (samples.Count == 0)
        {
            return new { count = 0 };
        }

        var sorted = samples.Order().ToArray();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Dictionary<string, object>
        {
            ["count"] = sorted.Length,
            ["unit"] = unit,
            ["p50"] = Math.Round(At(0.50), 3),
            ["p95"] = Math.Round(At(0.95), 3),
            ["p99"] = Math.Round(At(0.99), 3),
            ["max"] = Math.Round(sorted[^1], 3),
        };
    }

    public static double P95(IReadOnlyList<double> samples) =>
        samples.Count == 0 ? double.NaN : samples.Order().ElementAt(Math.Clamp((int)Math.Ceiling(0.95 * samples.Count) - 1, 0, samples.Count - 1));
}
