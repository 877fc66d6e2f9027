using CallBalancer.Cli;
using CallBalancer.Cli.Commands;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Simulation;

/// <summary>
/// Bad numbers on the command line are usage errors that name the option, raised before any file is read or any
/// emulator started, instead of a crash ("Sequence contains no elements" for <c>bench policy --seeds 0</c>) or a
/// run with settings no supervisor could save.
/// </summary>
public sealed class CommandLineValidationTests
{
    private static CliArguments Args(string line) => new(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>An arrivals CSV of <paramref name="days"/> whole days of half-hours from 2003-10-20.</summary>
    private static string[] Days(int days) =>
        ["interval_start,calls", .. Enumerable.Range(0, days * 48).Select(i => FormattableString.Invariant(
            $"{new DateTime(2003, 10, 20, 0, 0, 0, DateTimeKind.Unspecified).AddMinutes(30 * i):yyyy-MM-ddTHH:mm:ss},{10 + (i % 7)}"))];

    /// <summary>Runs a command against a temporary CSV holding <paramref name="lines"/>; the usage error it must raise.</summary>
    private static async Task<CliUsageException> UsageErrorWithCsv(string[] lines, Func<string, Task<int>> run)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(path, lines);
            return await Assert.ThrowsAsync<CliUsageException>(() => run(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Property(MaxTest = 300)]
    public bool A_bounded_integer_is_returned_inside_its_range_and_refused_outside(int value, int a, int b)
    {
        var (min, max) = (Math.Min(a, b), Math.Max(a, b));
        var args = Args(FormattableString.Invariant($"--n {value}"));
        try
        {
            return args.Int("n", 0, min, max) == value && value >= min && value <= max;
        }
        catch (CliUsageException ex)
        {
            return (value < min || value > max) && ex.Message.StartsWith("--n must be", StringComparison.Ordinal);
        }
    }

    [Property(MaxTest = 300)]
    public bool An_absent_option_takes_the_fallback_and_the_fallback_is_checked_too(int fallback, int a, int b)
    {
        var (min, max) = (Math.Min(a, b), Math.Max(a, b));
        try
        {
            return Args("").Int("n", fallback, min, max) == fallback && fallback >= min && fallback <= max;
        }
        catch (CliUsageException)
        {
            return fallback < min || fallback > max;
        }
    }

    [Theory]
    [InlineData("-0.5", false)]
    [InlineData("0", true)]
    [InlineData("0.25", true)]
    [InlineData("1", true)]
    [InlineData("1.0001", false)]
    public void A_bounded_number_includes_both_ends(string value, bool accepted)
    {
        var args = Args($"--share {value}");
        if (accepted)
        {
            Assert.Equal(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture), args.Double("share", 0.5, 0, 1));
        }
        else
        {
            var ex = Assert.Throws<CliUsageException>(() => args.Double("share", 0.5, 0, 1));
            Assert.Equal($"--share must be between 0 and 1, got {value}.", ex.Message);
        }
    }

    [Theory]
    [InlineData("policy --seeds 0", "--seeds")]
    [InlineData("policy --days-per-bank 0", "--days-per-bank")]
    [InlineData("policy --stress-days -1", "--stress-days")]
    [InlineData("hindsight --expected-seeds 0", "--expected-seeds")]
    [InlineData("forecast --test-days 0", "--test-days")]
    [InlineData("offers --calls 0", "--calls")]
    [InlineData("offers --azurite --azurite-calls 0", "--azurite-calls")]
    [InlineData("rebalance --change-share 1.5", "--change-share")]
    [InlineData("ingest --raw 0", "--raw")]
    [InlineData("load --largest-queue -1", "--largest-queue")]
    public async Task A_benchmark_refuses_a_bad_count_before_it_starts(string line, string option)
    {
        var ex = await Assert.ThrowsAsync<CliUsageException>(() => new BenchCommand().RunAsync(Args(line), TextWriter.Null));
        Assert.StartsWith(option + " ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--guard-margin -1", "--guard-margin")]
    [InlineData("--offer-hold-idle -1", "--offer-hold-idle")]
    [InlineData("--dwell -1", "--dwell")]
    [InlineData("--quiet-min-agents 0", "--quiet-min-agents")]
    [InlineData("--on-margin 0.01 --off-margin 0.02", "--off-margin")]
    [InlineData("--horizon 0", "--horizon")]
    [InlineData("--emergency-share -1", "--emergency-share")]
    [InlineData("--probe-at -5", "--probe-at")]
    [InlineData("--probe-at", "--probe-at")]
    [InlineData("--stress-factor 0", "--stress-factor")]
    [InlineData("--stress-factor 1.35 --stress-start 23 --stress-hours 3", "--stress-hours")]
    [InlineData("--idle-agents -1", "--idle-agents")]
    [InlineData("--aht 100", "--aht")]
    public async Task Simulate_refuses_settings_a_supervisor_could_not_save(string options, string option)
    {
        var ex = await UsageErrorWithCsv(
            Days(1), arrivals => new SimulateCommand().RunAsync(Args($"--arrivals {arrivals} --day 2003-10-20 --policy forecast {options}"), TextWriter.Null));
        Assert.StartsWith(option + " ", ex.Message.Replace(":", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model dses --dses-alpha 7", "--dses-*")]
    [InlineData("--model dses --dses-phi 1", "--dses-*")]
    [InlineData("--holdout-days -1", "--holdout-days")]
    public async Task Backtest_refuses_a_bad_parameter(string options, string option)
    {
        var ex = await UsageErrorWithCsv(
            Days(3), data => new BacktestCommand().RunAsync(Args($"--data {data} --test-days 1 {options}"), TextWriter.Null));
        Assert.StartsWith(option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_settings_rule_between_two_options_names_both_options()
    {
        var ex = await Assert.ThrowsAsync<CliUsageException>(() =>
            new SimulateCommand().RunAsync(Args("--arrivals none.csv --day 2003-10-20 --on-margin 0.01 --off-margin 0.02"), TextWriter.Null));
        Assert.Contains("must not exceed --on-margin", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("crossSell", ex.Message, StringComparison.Ordinal);
    }
}
