using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace CallBalancer.DevHost;

/// <summary>
/// Runs the timer functions on their CRON schedules (six fields, with seconds, as in Azure Functions), resolving
/// <c>%SETTING%</c> from configuration like the Functions host. A <see cref="PeriodicTimer"/> ticks every second on the
/// injected <see cref="TimeProvider"/>; a function runs when its next occurrence has passed, never overlapping itself.
/// </summary>
internal sealed class TimerFunctionScheduler(
    IReadOnlyList<FunctionEntry> functions,
    IServiceProvider services,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<TimerFunctionScheduler> logger) : BackgroundService
{
    /// <summary>Parses a schedule expression after resolving <c>%NAME%</c> settings.</summary>
    public static (string Expression, CronExpression Cron) ResolveSchedule(string schedule, IConfiguration configuration)
    {
        var expression = schedule;
        if (schedule.StartsWith('%') && schedule.EndsWith('%') && schedule.Length > 2)
        {
            var name = schedule[1..^1];
            expression = configuration[name]
                ?? throw new InvalidOperationException($"The app setting '{name}' used by a timer schedule is not set.");
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var cron = CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        return (expression, cron);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timers = functions.Where(f => f.Timer is not null)
            .Select(f => (Function: f, Schedule: ResolveSchedule(f.Timer!.Schedule, configuration).Cron))
            .ToList();
        if (timers.Count == 0)
        {
            return;
        }

        var next = timers.ToDictionary(t => t.Function.Name, t => t.Schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime));
        var last = new Dictionary<string, DateTime?>(StringComparer.Ordinal);
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await ticker.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var (function, schedule) in timers)
            {
                if (next[function.Name] is not { } due || due > now)
                {
                    continue;
                }

                var timer = new TimerInfo
                {
                    IsPastDue = now - due > TimeSpan.FromSeconds(5),
                    ScheduleStatus = new ScheduleStatus { Last = last.GetValueOrDefault(function.Name) ?? default, Next = due, LastUpdated = now },
                };
                try
                {
                    await FunctionInvoker.InvokeTimerAsync(function, services, timer, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Timer function {Function} failed", function.Name);
                }

                last[function.Name] = due;
                next[function.Name] = schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime);
            }
        }
    }
}
