using System.Text.Json;

namespace CallBalancer.Cli.Commands;

/// <summary><c>callbalancer bench NAME [options]</c>: runs one benchmark (or <c>all</c>) and prints JSON.</summary>
internal sealed class BenchCommand : ICliCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public string Name => "bench";

    public string Summary => "Run a benchmark and print JSON: bench <name>|all (names: --help).";

    public async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();

        var name = args.Positional.FirstOrDefault();
        if (name is null || args.Flag("help"))
        {
            foreach (var b in benchmarks)
            {
                await output.WriteLineAsync($"  {b.Name,-10} {b.Summary}");
            }

            return name is null ? 2 : 0;
        }

        var selected = name == "all"
            ? benchmarks
            : benchmarks.Where(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (selected.Count == 0)
        {
            throw new CliUsageException($"Unknown benchmark '{name}'. Known: {string.Join(", ", benchmarks.Select(b => b.Name))}.");
        }

        var results = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var b in selected)
        {
            // Progress goes to stderr so stdout stays pure JSON.
            results[b.Name] = await b.RunAsync(args, Console.Error, cancellationToken);
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(selected.Count == 1 ? results[selected[0].Name] : results, Json));
        return 0;
    }
}
