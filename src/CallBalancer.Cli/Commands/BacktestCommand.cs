using System.Diagnostics;
using System.Text.Json;
using CallBalancer.Core.Forecasting;

namespace CallBalancer.Cli.Commands;

/// <summary>
/// <c>callbalancer backtest --data FILE [--test-days 30] [--holdout-days N] [--json]</c>: rolling-origin backtest of the
/// arrival forecaster on a CSV of <c>interval_start,calls</c> (protocol in <see cref="ForecastBacktest"/>).
/// <c>--holdout-days N</c> drops the last N days first, to tune on data before the real test window; the
/// <c>--level-alpha</c>-style options override <see cref="ArrivalForecasterOptions"/> for tuning.
/// </summary>
internal sealed class BacktestCommand : ICliCommand
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Name => "backtest";

    public string Summary => "Backtest the arrival forecaster: --data FILE [--test-days 30] [--json].";

    public async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var path = args.RequiredString("data");
        var testDays = args.Int("test-days") ?? 30;
        if (testDays < 1)
        {
            throw new CliUsageException("--test-days must be at least 1.");
        }

        var holdout = args.Int("holdout-days", 0, 0);
        var options = OptionsFrom(args);
        var model = args.String("model") ?? "profile";
        var report = Run(path, testDays, holdout, options, model, args);
        if (args.Flag("json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            await output.WriteLineAsync(
                $"{report.File}: {report.TestDays} test days {report.FirstTestDate:yyyy-MM-dd}..{report.LastTestDate:yyyy-MM-dd}, {report.IntervalMinutes} min intervals\n" +
                $"  day-ahead   MAE {report.DayAhead.Mae:F2} (x{report.DayAhead.RelativeMae:F3} of seasonal naive {report.DayAhead.SeasonalNaiveMae:F2}; mean-last-4 {report.DayAhead.MeanLast4Mae:F2}), 80% coverage {report.Coverage80:P1}\n" +
                $"  next 15 min MAE {report.Next15Min.Mae:F2} (x{report.Next15Min.RelativeMae:F3} of seasonal naive {report.Next15Min.SeasonalNaiveMae:F2}; mean-last-4 {report.Next15Min.MeanLast4Mae:F2}), next-interval 80% coverage {report.Next15Min.Coverage80:P1}\n" +
                $"  {report.Seconds:F2} s");
        }

        return 0;
    }

    /// <summary>Parses the file, runs the backtest and times the whole (parse included).</summary>
    internal static BacktestReport Run(string path, int testDays, int holdoutDays, ArrivalForecasterOptions options, string model = "profile", CliArguments? args = null)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--data: file '{path}' not found.");
        }

        var stopwatch = Stopwatch.StartNew();
        IntervalCountSeries series;
        using (var reader = File.OpenText(path))
        {
            try
            {
                series = IntervalCountsCsv.Parse(reader);
            }
            catch (FormatException ex)
            {
                throw new CliUsageException($"--data: {ex.Message}", ex);
            }
        }

        if (holdoutDays > 0)
        {
            series = series.TakeDays(Math.Max(0, series.Days.Count - holdoutDays));
        }

        if (series.Days.Count < 2)
        {
            throw new CliUsageException("--data: the backtest needs at least two days.");
        }

        var interval = series.IntervalLength;
        var result = model switch
        {
            "profile" => ForecastBacktest.Run(series, testDays, options),

            // The ADR's candidate: Taylor's double-seasonal Holt-Winters (parameters tunable for the comparison).
            "dses" => ForecastBacktest.Run(series, testDays, DsesFactory(interval, args)),
            _ => throw new CliUsageException($"--model must be profile or dses, got '{model}'."),
        };
        stopwatch.Stop();
        return new BacktestReport(
            Block(result.DayAhead),
            Block(result.Next15Min),
            result.DayAhead.Coverage80,
            stopwatch.Elapsed.TotalSeconds,
            Path.GetFileName(path),
            result.IntervalMinutes,
            result.Next15MinIntervals,
            result.TestDays,
            result.FirstTestDate,
            result.LastTestDate);
    }

    /// <summary>The candidate model's factory, its parameters checked once up front so a bad one is a usage error.</summary>
    private static Func<IArrivalForecastModel> DsesFactory(TimeSpan interval, CliArguments? args)
    {
        var (alpha, delta, omega, phi) = (args?.Double("dses-alpha") ?? 0.01, args?.Double("dses-delta") ?? 0.05,
            args?.Double("dses-omega") ?? 0.1, args?.Double("dses-phi") ?? 0.5);
        try
        {
            _ = new DoubleSeasonalSmoothing(interval, alpha, delta, omega, phi);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CliUsageException($"--dses-*: {ex.Message}", ex);
        }

        return () => new DoubleSeasonalSmoothing(interval, alpha, delta, omega, phi);
    }

    private static BacktestBlock Block(ForecastErrorSummary s) =>
        new(s.Mae, s.Rmse, s.RelativeMae, s.RelativeRmse, s.SeasonalNaiveMae, s.MeanLast4Mae, s.MeanLast4Mae / s.SeasonalNaiveMae, s.Coverage80, s.Points);

    private static ArrivalForecasterOptions OptionsFrom(CliArguments args)
    {
        var o = ArrivalForecasterOptions.Default;
        o = o with
        {
            LevelSmoothing = args.Double("level-alpha") ?? o.LevelSmoothing,
            ProfileSmoothing = args.Double("profile-alpha") ?? o.ProfileSmoothing,
            WeekdayTotalSmoothing = args.Double("weekday-alpha") ?? o.WeekdayTotalSmoothing,
            WeekdayShrinkage = args.Double("weekday-shrinkage") ?? o.WeekdayShrinkage,
            TimeOfDaySmoothing = args.Double("time-smoothing") ?? o.TimeOfDaySmoothing,
            OutlierRatioLimit = args.Double("outlier-limit") ?? o.OutlierRatioLimit,
            IntradayDecay = args.Double("intraday-decay") ?? o.IntradayDecay,
            IntradayPriorScale = args.Double("intraday-prior") ?? o.IntradayPriorScale,
            ResidualAutocorrelation = args.Double("ar") ?? o.ResidualAutocorrelation,
            QuantileStep = args.Double("quantile-step") ?? o.QuantileStep,
        };
        try
        {
            o.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }

        return o;
    }

    /// <summary>The JSON contract of <c>backtest --json</c> (field names are fixed).</summary>
    internal sealed record BacktestReport(
        BacktestBlock DayAhead,
        BacktestBlock Next15Min,
        double Coverage80,
        double Seconds,
        string File,
        double IntervalMinutes,
        int Next15MinIntervals,
        int TestDays,
        DateOnly FirstTestDate,
        DateOnly LastTestDate);

    /// <summary>One horizon's errors (calls per target) and their ratios to the weekly seasonal naive.</summary>
    internal sealed record BacktestBlock(
        double Mae,
        double Rmse,
        double RelativeMae,
        double RelativeRmse,
        double SeasonalNaiveMae,
        double MeanLast4Mae,
        double MeanLast4RelativeMae,
        double Coverage80,
        int Points);
}
