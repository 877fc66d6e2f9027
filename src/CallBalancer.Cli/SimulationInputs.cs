using System.Globalization;
using CallBalancer.Core.Balancing;
using CallBalancer.Core.Forecasting;
using CallBalancer.Core.Simulation;
using CallBalancer.Core.Supervision;

namespace CallBalancer.Cli;

/// <summary>Reads the simulator's inputs (files and model options) from the command line; shared by <c>simulate</c> and the policy benchmark.</summary>
internal static class SimulationInputs
{
    /// <summary>The default per-call file whose answered calls give the service times.</summary>
    public const string DefaultCallsFile = "anonymous_bank_1999_02_calls.csv";

    private static readonly Dictionary<string, IServiceTimeDistribution> ServiceCache = new(StringComparer.Ordinal);

    /// <summary>The policy's supervisor settings this command line can set: the settings API's field name and the option.</summary>
    private static readonly Dictionary<string, string> SettingOptions = new(StringComparer.Ordinal)
    {
        ["maxAbandonRate"] = "max-abandon",
        ["crossSellOnMargin"] = "on-margin",
        ["crossSellOffMargin"] = "off-margin",
        ["forecastUpperWeight"] = "upper-weight",
        ["minDwellSeconds"] = "dwell",
        ["maxServiceLevelDrop"] = "max-drop",
        ["maxIntervalDrop"] = "interval-drop",
        ["offerHoldMaxWaiting"] = "offer-hold-waiting",
        ["offerHoldMinIdleAgents"] = "offer-hold-idle",
        ["offerHoldQuietMinIdleAgents"] = "quiet-reserve",
        ["offerHoldQuietMinAgents"] = "quiet-min-agents",
        ["offerHoldGuardMargin"] = "guard-margin",
        ["offerHoldEaseAboveWorst"] = "ease-above-worst",
        ["dayRoomAboveWorst"] = "day-room-above-worst",
        ["offerHoldGuardMinCalls"] = "guard-min-calls",
    };

    public static SimulationOptions Options(CliArguments args)
    {
        var o = new SimulationOptions
        {
            Seed = args.Int("seed") ?? 1,
            TargetServiceLevel = args.Double("target-sl") ?? 0.8,
            TargetSeconds = args.Double("target-seconds") ?? 20,
            PatienceMeanSeconds = args.Double("patience") ?? 180,
            SnapshotLagSeconds = args.Double("lag") ?? 5,
            PolicyIntervalSeconds = args.Double("tick") ?? 15,
            OfferAtResolution = !args.Flag("offer-at-answer"),
            EmergencyQueueShare = args.Double("emergency-share", new SimulationOptions().EmergencyQueueShare, 0, 1),
            ProbeAtSeconds = args.Has("probe-at") ? args.Double("probe-at", double.NaN, 0, 86_400) : null,
            PolicySettings = QueueSettings.Default with
            {
                MaxAbandonRate = args.Double("max-abandon") ?? QueueSettings.Default.MaxAbandonRate,
                CrossSellOnMargin = args.Double("on-margin") ?? QueueSettings.Default.CrossSellOnMargin,
                CrossSellOffMargin = args.Double("off-margin") ?? QueueSettings.Default.CrossSellOffMargin,
                ForecastUpperWeight = args.Double("upper-weight") ?? QueueSettings.Default.ForecastUpperWeight,
                CapacityHorizonSeconds = args.Double("horizon", QueueSettings.Default.CapacityHorizonSeconds, 15, 7_200),
                MinDwellSeconds = args.Double("dwell") ?? QueueSettings.Default.MinDwellSeconds,
                MaxServiceLevelDrop = args.Double("max-drop") ?? QueueSettings.Default.MaxServiceLevelDrop,
                MaxIntervalDrop = args.Double("interval-drop") ?? QueueSettings.Default.MaxIntervalDrop,
                FloorFromWholeForecast = !args.Flag("interval-floor"),
                OfferHold = !args.Flag("no-offer-hold"),
                OfferHoldMaxWaiting = args.Int("offer-hold-waiting") ?? QueueSettings.Default.OfferHoldMaxWaiting,
                OfferHoldMinIdleAgents = args.Int("offer-hold-idle") ?? QueueSettings.Default.OfferHoldMinIdleAgents,
                OfferHoldQuietMinIdleAgents = args.Int("quiet-reserve") ?? QueueSettings.Default.OfferHoldQuietMinIdleAgents,
                OfferHoldQuietMinAgents = args.Int("quiet-min-agents") ?? QueueSettings.Default.OfferHoldQuietMinAgents,
                OfferHoldGuardMargin = args.Double("guard-margin") ?? QueueSettings.Default.OfferHoldGuardMargin,
                OfferHoldGuardMinCalls = args.Int("guard-min-calls") ?? QueueSettings.Default.OfferHoldGuardMinCalls,
                OfferHoldEaseAboveWorst = args.Double("ease-above-worst") ?? QueueSettings.Default.OfferHoldEaseAboveWorst,
                DayRoomAboveWorst = args.Double("day-room-above-worst") ?? QueueSettings.Default.DayRoomAboveWorst,
            },
        };
        if (o.TargetServiceLevel is <= 0 or >= 1)
        {
            throw new CliUsageException("--target-sl must be between 0 and 1 (e.g. 0.8).");
        }

        if (o.TargetSeconds <= 0 || o.PatienceMeanSeconds <= 0 || o.SnapshotLagSeconds < 0 || o.PolicyIntervalSeconds <= 0)
        {
            throw new CliUsageException("--target-seconds, --patience and --tick must be positive; --lag must not be negative.");
        }

        // The same rules as the settings API, so a simulated queue is one a supervisor could configure.
        var problems = SupervisorSettingsRules.Validate(SupervisorSettings.From(o.PolicySettings))
            .Select(e => $"--{SettingOptions.GetValueOrDefault(e.Key, e.Key)}: {string.Join(" ", e.Value)}")
            .ToList();
        if (problems.Count > 0)
        {
            // The rules name the settings API's fields; say the options instead.
            var message = string.Join(" ", problems);
            foreach (var (field, option) in SettingOptions)
            {
                message = message.Replace($" {field} ", $" --{option} ", StringComparison.Ordinal);
            }

            throw new CliUsageException(message);
        }

        return o;
    }

    public static IntervalCountSeries ReadSeries(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"Arrivals file '{path}' does not exist.");
        }

        using var reader = new StreamReader(path);
        try
        {
            return IntervalCountsCsv.Parse(reader);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"{path}: {ex.Message}", ex);
        }
    }

    public static IServiceTimeDistribution ServiceTimes(CliArguments args)
    {
        if (args.String("service") is "lognormal")
        {
            var mean = args.Double("aht") ?? 180;
            var cv = args.Double("cv") ?? 1.2;
            if (mean <= 0 || cv <= 0)
            {
                throw new CliUsageException("--aht and --cv must be positive.");
            }

            return new LognormalServiceTimes(mean, cv);
        }

        if (args.String("service") is { } other && other != "empirical")
        {
            throw new CliUsageException($"--service must be empirical or lognormal, got '{other}'.");
        }

        if (args.Has("aht") || args.Has("cv"))
        {
            throw new CliUsageException("--aht and --cv set the lognormal service times: add --service lognormal.");
        }

        var path = args.String("calls") ?? RepositoryPaths.SharedDataFile(DefaultCallsFile);
        if (ServiceCache.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var records = ReadCalls(path);
        var dist = new EmpiricalServiceTimes(records.Where(r => r.IsAnsweredWithServiceTime).Select(r => r.ServiceSeconds));
        ServiceCache[path] = dist;
        return dist;
    }

    public static IReadOnlyList<BankCallRecord> ReadCalls(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"Per-call file '{path}' does not exist.");
        }

        using var reader = new StreamReader(path);
        try
        {
            return BankCallRecordReader.Read(reader);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"{path}: {ex.Message}", ex);
        }
    }

    public static SimulationDay Day(
        CliArguments args, IntervalCountSeries series, DateOnly day, IServiceTimeDistribution serviceTimes, SimulationOptions options)
    {
        TrafficSurge? surge = null;
        if (args.Has("stress-factor"))
        {
            var factor = args.Double("stress-factor", double.NaN, 0.01, 100); // a bare --stress-factor is refused
            var start = args.Double("stress-start", 10, 0, 24);
            var hours = args.Double("stress-hours", 3, 0.01, 24 - start);
            surge = new TrafficSurge(start * 3600, hours * 3600, factor);
        }

        StaffingPlan? plan = null;
        if (args.String("staffing") is { } staffingPath)
        {
            plan = ReadPlan(staffingPath);
        }

        IReadOnlyList<double>? arrivalTimes = null;
        if (args.Flag("per-call-arrivals"))
        {
            var calls = ReadCalls(args.String("calls") ?? RepositoryPaths.SharedDataFile(DefaultCallsFile));
            arrivalTimes = calls
                .Where(c => c.IsOfferedToAgents && DateOnly.FromDateTime(c.Arrival) == day)
                .Select(c => c.Arrival.TimeOfDay.TotalSeconds)
                .Order()
                .ToList();
        }

        try
        {
            return SimulationDayBuilder.Build(series, day, serviceTimes, options, plan, surge, arrivalTimes);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    /// <summary>A plan file: <c>slot_start,agents</c> with slot_start as HH:mm on a half-hour grid.</summary>
    private static StaffingPlan ReadPlan(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"Staffing file '{path}' does not exist.");
        }

        var agents = new int[48];
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 2 || !TimeOnly.TryParse(f[0], CultureInfo.InvariantCulture, out var t)
                || !int.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            {
                throw new CliUsageException($"{path}: expected 'slot_start,agents' rows such as '07:30,42', got '{line}'.");
            }

            agents[(int)(t.ToTimeSpan().TotalSeconds / 1800)] = n;
        }

        return new StaffingPlan(agents);
    }
}
