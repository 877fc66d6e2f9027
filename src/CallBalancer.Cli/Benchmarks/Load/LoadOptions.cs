namespace CallBalancer.Cli.Benchmarks.Load;

/// <summary>The options of <c>bench load</c>, with their defaults and checks.</summary>
internal sealed record LoadOptions(
    int Agents,
    int Queues,
    int Seconds,
    int LargestQueue,
    double Occupancy,
    double PatienceSeconds,
    int SnapshotEverySeconds,
    int PollEverySeconds,
    int QueuesPerWorkItem,
    int CadenceSeconds,
    int Concurrency,
    int Seed)
{
    public static LoadOptions From(CliArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new LoadOptions(
            Agents: args.Int("agents") ?? 10_000,
            Queues: args.Int("queues") ?? 500,
            Seconds: args.Int("seconds") ?? 60,
            LargestQueue: args.Int("largest-queue", 0, 0),
            Occupancy: args.Double("occupancy") ?? 0.8,
            PatienceSeconds: args.Double("patience") ?? 180,
            SnapshotEverySeconds: args.Int("snapshot-every") ?? 5,
            PollEverySeconds: args.Int("poll-every") ?? 15,
            QueuesPerWorkItem: args.Int("queues-per-item") ?? 25,
            CadenceSeconds: 15,
            Concurrency: args.Int("concurrency") ?? 16,
            Seed: args.Int("seed") ?? 1);
        if (o.Queues < 1 || o.Agents < o.Queues + o.LargestQueue || o.Agents > 100_000)
        {
            throw new CliUsageException("--queues >= 1 and --agents between --queues (+ --largest-queue) and 100,000.");
        }

        if (o.Seconds is < 15 or > 900 || o.Occupancy is <= 0 or >= 1 || o.PatienceSeconds <= 0 || o.SnapshotEverySeconds is < 1 or > 120
            || o.PollEverySeconds is < 0 or > 600 || o.QueuesPerWorkItem is < 1 or > 1000 || o.Concurrency is < 1 or > 128)
        {
            throw new CliUsageException("--seconds 15-900, --occupancy in (0, 1), --patience > 0, --snapshot-every 1-120, --poll-every 0-600 (0: no desktops), --queues-per-item 1-1000, --concurrency 1-128.");
        }

        return o;
    }
}
