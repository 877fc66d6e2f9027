using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using CallBalancer.Functions;
using CallBalancer.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

// Application Insights adds a rule that keeps only Warning and above; let host.json's levels apply instead.
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var defaultRule = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (defaultRule is not null)
    {
        options.Rules.Remove(defaultRule);
    }
});

// Our own traces and metrics (flips, decisions, predicted and actual service level, forecast error, webhook outcomes and
// ingested events) go to Azure Monitor through OpenTelemetry, authenticated with the managed identity (Application
// Insights has local auth disabled).
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    var clientId = builder.Configuration["AZURE_CLIENT_ID"];
    builder.Services.AddOpenTelemetry()
        .UseFunctionsWorkerDefaults()
        .WithTracing(t => t.AddSource(CallBalancerTelemetry.Name))
        .WithMetrics(m => m.AddMeter(CallBalancerTelemetry.Name))
        .UseAzureMonitorExporter(o =>
        {
            o.ConnectionString = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
            o.Credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        });
}

builder.Services.AddCallBalancer(builder.Configuration);
builder.Build().Run();
