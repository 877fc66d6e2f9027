using System.Diagnostics;
using System.Text.Json;
using CallBalancer.Cli.Commands;
using CallBalancer.Core.Forecasting;

namespace CallBalancer.Cli.Benchmarks;

/// <summary>
/// <c>callbalancer bench forecast [--test-days 30]</c>: the forecasting backtest on both real series in
/// <c>shared/data</c>, with every error also given as a ratio to the weekly seasonal naive scored in the same run, the
/// wall-clock seconds, and the size of the persisted forecaster state.
/// </summary>
internal sealed class ForecastBenchmark : IBenchmark
{
    private static readonly string[] Files = ["bank_calls_2003_5min.csv", "anonymous_bank_1999_6min.csv"];

    public string Name => "forecast";

    public string Summary => "Arrival-forecast backtest on both real series (ratios to the seasonal naive of the same run).";

    public Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var testDays = args.Int("test-days", 30, 1);
        var results = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = RepositoryPaths.SharedDataFile(file);
            progress.WriteLine($"forecast: backtesting {path}");
            var report = BacktestCommand.Run(path, testDays, 0, ArrivalForecasterOptions.Default);
            var candidate = BacktestCommand.Run(path, testDays, 0, ArrivalForecasterOptions.Default, "dses");

            // The state a queue would persist after the whole file: its JSON size is what a table entity must hold.
            IntervalCountSeries series;
            using (var reader = File.OpenText(path))
            {
                series = IntervalCountsCsv.Parse(reader);
            }

            var fit = Stopwatch.StartNew();
            var forecaster = ArrivalForecaster.Fit(series);
            fit.Stop();
            var stateBytes = JsonSerializer.SerializeToUtf8Bytes(forecaster.State).Length;

            results[file] = new
            {
                report.TestDays,
                report.IntervalMinutes,
                report.Next15MinIntervals,
                dayAhead = report.DayAhead,
                next15Min = report.Next15Min,
                report.Coverage80,
                backtestSeconds = report.Seconds,
                fitWholeFileSeconds = fit.Elapsed.TotalSeconds,
                stateJsonBytes = stateBytes,
                doubleSeasonalCandidate = new
                {
                    dayAheadRelativeMae = candidate.DayAhead.RelativeMae,
                    next15MinRelativeMae = candidate.Next15Min.RelativeMae,
                    candidate.Coverage80,
                },
            };
        }

        return Task.FromResult<object>(results);
    }
}
