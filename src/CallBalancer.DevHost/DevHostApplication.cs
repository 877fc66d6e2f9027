using CallBalancer.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration.Memory;

namespace CallBalancer.DevHost;

/// <summary>
/// Builds the dev host: the same function classes on the same routes and schedules as the Functions app, on
/// ASP.NET Core, for machines without Azure Functions Core Tools. It has no logic of its own beyond hosting.
/// </summary>
internal static class DevHostApplication
{
    /// <summary>Where the dev host listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>App settings the Functions app expects, with the values <c>local.settings.json</c> would give them.</summary>
    public static readonly IReadOnlyDictionary<string, string?> DefaultSettings = new Dictionary<string, string?>
    {
        ["REBALANCE_SCHEDULE"] = "*/15 * * * * *",
        ["RETENTION_SCHEDULE"] = "0 30 2 * * *",
        ["KPI_ROLLUP_SCHEDULE"] = "0 45 2 * * *",
        ["FORECAST_SCHEDULE"] = "0 1,16,31,46 * * * *",

        // Like function keys, Twilio signatures are not demanded locally unless an auth token is configured.
        ["CallBalancer:Twilio:RequireSignature"] = "false",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    };

    /// <summary>Builds the app. <paramref name="configure"/> lets tests replace settings or services.</summary>
    public static WebApplication Build(string[] args, string? storageConnectionString, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Lowest priority: environment variables, command line and appsettings override these defaults.
        var defaults = new Dictionary<string, string?>(DefaultSettings);
        if (storageConnectionString is not null)
        {
            defaults["CallBalancer:Storage:ConnectionString"] = storageConnectionString;
        }

        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddMvcCore();
        builder.Services.AddCallBalancer(builder.Configuration);
        var functions = FunctionCatalog.Discover(typeof(CallBalancerServiceCollectionExtensions).Assembly);
        builder.Services.AddSingleton(functions);
        // Triggers run by themselves unless a benchmark drives them (CallBalancer:DevHost:RunTriggers=false).
        if (!string.Equals(builder.Configuration["CallBalancer:DevHost:RunTriggers"], "false", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddHostedService(sp => new TimerFunctionScheduler(
                functions,
                sp,
                sp.GetRequiredService<IConfiguration>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<TimerFunctionScheduler>>()));
            builder.Services.AddHostedService(sp => new QueueFunctionListener(
                QueueFunctionDispatcher.ForConfiguredQueues(functions, sp.GetRequiredService<IConfiguration>(), sp, sp.GetRequiredService<ILoggerFactory>(),
                    sp.GetServices<Azure.Core.Pipeline.HttpPipelinePolicy>()),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<QueueFunctionListener>>()));
        }
        configure?.Invoke(builder);

        var app = builder.Build();

        // Stands in for App Service authentication, which signs the user in and sets X-MS-CLIENT-PRINCIPAL on each
        // request: with dev auth on and a user configured (CallBalancer__DevAuth__User, __Roles), a request without
        // the header gets that user's, so the console works in a plain browser. Off by default.
        var devAuth = app.Configuration.GetSection("CallBalancer:DevAuth");
        if (string.Equals(devAuth["Enabled"], "true", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(devAuth["User"]))
        {
            var principal = CallBalancer.Functions.Http.SupervisorPrincipal.Encode(devAuth["User"]!,
                (devAuth["Roles"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            app.Use((context, next) =>
            {
                if (!context.Request.Headers.ContainsKey(CallBalancer.Functions.Http.SupervisorPrincipal.HeaderName))
                {
                    context.Request.Headers[CallBalancer.Functions.Http.SupervisorPrincipal.HeaderName] = principal;
                }

                return next(context);
            });
        }

        FunctionInvoker.MapHttpFunctions(app, functions);

        // Like the Functions host's admin API: POST /admin/functions/{name} runs a non-HTTP function now.
        app.MapPost("/admin/functions/{name}", async (string name, HttpContext context) =>
        {
            var function = functions.FirstOrDefault(f => f.Timer is not null && string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (function is null)
            {
                return Results.Problem(statusCode: 404, title: "Not found.", detail: $"No timer function named '{name}'.");
            }

            await FunctionInvoker.InvokeTimerAsync(function, context.RequestServices, new TimerInfo(), context.RequestAborted);
            return Results.Accepted();
        });
        return app;
    }

    /// <summary>The lines printed at start-up: where to reach each function.</summary>
    public static IEnumerable<string> Describe(WebApplication app, string storageDescription)
    {
        var baseUrl = app.Urls.FirstOrDefault() ?? DefaultUrl;
        var functions = app.Services.GetRequiredService<IReadOnlyList<FunctionEntry>>();
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        yield return $"CallBalancer dev host listening on {baseUrl} (storage: {storageDescription})";
        yield return "Functions:";
        foreach (var f in functions)
        {
            yield return f.Http is not null
                ? $"  {f.Name}: [{string.Join(',', f.Methods)}] {baseUrl}{f.Route}"
                : f.Timer is not null
                    ? $"  {f.Name}: timerTrigger ({TimerFunctionScheduler.ResolveSchedule(f.Timer.Schedule, configuration).Expression})"
                    : $"  {f.Name}: queueTrigger ({QueueDescription(f.Queue!, configuration)})";
        }

        yield return "Try:";
        yield return $"  curl {baseUrl}/api/status";
        yield return $"  curl -X POST {baseUrl}/api/queues/cards/snapshot -H 'Content-Type: application/json' -d '{{\"observedAt\":\"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\",\"waitingCalls\":0,\"oldestWaitSeconds\":0,\"agents\":[{{\"agentId\":\"a1\",\"state\":\"available\"}},{{\"agentId\":\"a2\",\"state\":\"available\"}},{{\"agentId\":\"a3\",\"state\":\"available\"}},{{\"agentId\":\"a4\",\"state\":\"available\"}}]}}'";
        yield return $"  curl -X POST {baseUrl}/admin/functions/Rebalance   (or wait for the next 15-second rebalance)";
        yield return $"  curl {baseUrl}/api/agents/a1/mode";
        yield return $"  open {baseUrl}/api/dashboard?queue=cards   (supervisor console; start with --CallBalancer:DevAuth:Enabled=true --CallBalancer:DevAuth:User=me --CallBalancer:DevAuth:Roles=supervisor)";
    }

    private static string QueueDescription(QueueTriggerAttribute queue, IConfiguration configuration)
    {
        var setting = queue.QueueName.Trim('%');
        return configuration[setting] is { Length: > 0 } name ? name : $"{setting} not set, not listening";
    }
}
