using System.Globalization;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// The machine's load averages (1, 5 and 15 minutes) from <c>/proc/loadavg</c>, or null where there is none: printed
/// with benchmark results, because latency on a shared machine means little without how busy it was.
/// </summary>
internal static class MachineLoad
{
    public static double[]? Read()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Take(3).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
