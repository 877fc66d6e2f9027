using CallBalancer.Core.Queueing;

namespace CallBalancer.Cli.Commands;

/// <summary>The queue options shared by <c>erlang</c> and <c>staff</c>, validated into core types with usage errors.</summary>
internal static class QueueArguments
{
    public static QueueLoad Load(CliArguments args)
    {
        var callsPerHour = args.RequiredDouble("calls-per-hour");
        var aht = args.RequiredDouble("aht");
        if (callsPerHour < 0)
        {
            throw new CliUsageException($"--calls-per-hour must be at least 0, got {callsPerHour}.");
        }

        if (aht <= 0)
        {
            throw new CliUsageException($"--aht (average handle time, seconds) must be above 0, got {aht}.");
        }

        return QueueLoad.FromCallsPerHour(callsPerHour, aht);
    }

    /// <summary><c>--target-seconds</c>, default 20.</summary>
    public static double TargetSeconds(CliArguments args)
    {
        var t = args.Double("target-seconds") ?? 20;
        return t >= 0 ? t : throw new CliUsageException($"--target-seconds must be at least 0, got {t}.");
    }

    /// <summary><c>--patience</c> (mean seconds before a waiting caller hangs up), or null for Erlang C.</summary>
    public static double? Patience(CliArguments args)
    {
        if (args.Has("patience") && args.String("patience") is null)
        {
            throw new CliUsageException("--patience needs a value in seconds.");
        }

        var p = args.Double("patience");
        return p is null or > 0 ? p : throw new CliUsageException($"--patience (seconds) must be above 0, got {p}.");
    }

    /// <summary>A share option in (0, 1], e.g. <c>--max-abandon 0.05</c>.</summary>
    public static double? Share(CliArguments args, string name, bool allowOne = true)
    {
        var v = args.Double(name);
        if (v is null)
        {
            return null;
        }

        return v > 0 && (v < 1 || (allowOne && v == 1))
            ? v
            : throw new CliUsageException($"--{name} is a share between 0 and 1 (e.g. 0.8 for 80%), got {v}.");
    }
}
