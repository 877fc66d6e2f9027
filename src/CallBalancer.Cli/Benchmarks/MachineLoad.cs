namespace CallBalancer.Cli.Benchmarks;

/// <summary>The machine's load average (1, 5 and 15 minutes), recorded next to every measured number: this machine is shared.</summary>
internal static class MachineLoad
{
    /// <summary>The three load averages from <c>/proc/loadavg</c>, or null where there is none (not Linux).</summary>
    public static string? Read()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? string.Join(' ', parts.Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
