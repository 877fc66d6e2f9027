using System.Globalization;

namespace CallBalancer.Cli;

/// <summary>Parsed <c>--name value</c> options and <c>--flag</c> switches, with typed accessors that fail clearly.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);

    public CliArguments(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(a);
                continue;
            }

            var name = a[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                _options[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _options[name] = list[++i];
            }
            else
            {
                _options[name] = null;
            }
        }
    }

    /// <summary>Words that are not options (e.g. a sub-sub-command such as <c>bench ingest</c>).</summary>
    public List<string> Positional { get; } = [];

    public bool Has(string name) => _options.ContainsKey(name);

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? String(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public string RequiredString(string name) =>
        String(name) ?? throw new CliUsageException($"--{name} is required.");

    public double? Double(string name)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new CliUsageException($"--{name} must be a number, got '{s}'.");
    }

    public double RequiredDouble(string name) =>
        Double(name) ?? throw new CliUsageException($"--{name} is required.");

    public int? Int(string name)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliUsageException($"--{name} must be an integer, got '{s}'.");
    }

    public int RequiredInt(string name) =>
        Int(name) ?? throw new CliUsageException($"--{name} is required.");

    /// <summary>An integer option between <paramref name="min"/> and <paramref name="max"/> (inclusive), or <paramref name="fallback"/> when absent.</summary>
    public int Int(string name, int fallback, int min, int max = int.MaxValue)
    {
        var v = Int(name) ?? fallback;
        return v >= min && v <= max ? v : throw new CliUsageException(OutOfRange(name, min, max, max == int.MaxValue, v));
    }

    /// <summary>A number option between <paramref name="min"/> and <paramref name="max"/> (inclusive), or <paramref name="fallback"/> when absent.</summary>
    public double Double(string name, double fallback, double min, double max)
    {
        var v = Double(name) ?? fallback;
        return v >= min && v <= max ? v : throw new CliUsageException(OutOfRange(name, min, max, false, v));
    }

    private static string OutOfRange(string name, double min, double max, bool unbounded, double got) =>
        unbounded
            ? string.Create(CultureInfo.InvariantCulture, $"--{name} must be at least {min}, got {got}.")
            : string.Create(CultureInfo.InvariantCulture, $"--{name} must be between {min} and {max}, got {got}.");
}
