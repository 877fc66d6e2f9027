using CallBalancer.Core.Balancing;
using CallBalancer.Core.Kpi;
using CallBalancer.Core.Offers;
using CallBalancer.Functions.Balancing;
using CallBalancer.Functions.Http;
using CallBalancer.Functions.Kpi;
using CallBalancer.Functions.Offers;
using CallBalancer.Functions.Maintenance;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Status;
using CallBalancer.Functions.OpenApi;
using CallBalancer.Functions.Supervision;
using CallBalancer.Functions.Telephony;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;
using CallBalancer.Storage.Offers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallBalancer.Functions;

/// <summary>The app's services, registered the same way by the Functions host and the dev host.</summary>
public static class CallBalancerServiceCollectionExtensions
{
    /// <summary>Adds options, storage adapters, the core policy and the function classes.</summary>
    public static IServiceCollection AddCallBalancer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(o =>
            {
                // The Functions host's own storage setting is the fallback, as Azurite users expect.
                if (string.IsNullOrWhiteSpace(o.ConnectionString) && o.TableEndpoint is null)
                {
                    var webJobs = configuration["AzureWebJobsStorage"];
                    if (!string.IsNullOrWhiteSpace(webJobs))
                    {
                        o.ConnectionString = webJobs;
                    }
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.TableEndpoint is not null,
                "Storage is not configured: set CallBalancer__Storage__ConnectionString, AzureWebJobsStorage or CallBalancer__Storage__TableEndpoint.")
            .ValidateOnStart();
        services.AddOptions<BalancingOptions>()
            .Bind(configuration.GetSection(BalancingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<ForecastOptions>()
            .Bind(configuration.GetSection(ForecastOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o =>
            {
                try
                {
                    o.Zone();
                    return true;
                }
                catch (TimeZoneNotFoundException)
                {
                    return false;
                }
            }, "CallBalancer:Forecast:TimeZone is not a known time zone id.")
            .Validate<IOptions<TelephonyOptions>, TimeProvider>((o, telephony, time) =>
            {
                try
                {
                    return Core.Forecasting.LiveForecast.ZoneFitsGrid(o.Zone(), TimeSpan.FromMinutes(telephony.Value.IntervalMinutes), time.GetUtcNow().UtcDateTime);
                }
                catch (TimeZoneNotFoundException)
                {
                    return true; // reported by the check above
                }
            }, "CallBalancer:Forecast:TimeZone has a UTC offset that is not a whole number of CallBalancer:Telephony:IntervalMinutes (e.g. +05:30 with 60-minute intervals): the forecast could never be fed. Use shorter intervals.")
            .ValidateOnStart();
        services.AddOptions<RebalanceOptions>()
            .Bind(configuration.GetSection(RebalanceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<KpiRollupOptions>()
            .Bind(configuration.GetSection(KpiRollupOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<OffersOptions>()
            .Bind(configuration.GetSection(OffersOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<TelephonyOptions>()
            .Bind(configuration.GetSection(TelephonyOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => 1440 % o.IntervalMinutes == 0, "CallBalancer:Telephony:IntervalMinutes must divide a day (1440 minutes) evenly.")
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>()
            .Configure(o =>
            {
                // Three sections by design: the names app settings already use (CallBalancer__Twilio__AuthToken ...).
                o.SigningSecret = configuration["CallBalancer:Webhooks:SigningSecret"];
                o.TwilioAuthToken = configuration["CallBalancer:Twilio:AuthToken"];
                o.TwilioRequireSignature = !bool.TryParse(configuration["CallBalancer:Twilio:RequireSignature"], out var require) || require;
                o.PublicBaseUrl = Uri.TryCreate(configuration["CallBalancer:PublicBaseUrl"], UriKind.Absolute, out var url) ? url : null;
            })
            .Validate(o => string.IsNullOrEmpty(configuration["CallBalancer:PublicBaseUrl"]) || o.PublicBaseUrl is { Scheme: "https" or "http" },
                "CallBalancer:PublicBaseUrl must be an absolute http(s) URL such as https://my-app.azurewebsites.net.")
            .ValidateOnStart();

        // Extra HTTP pipeline policies registered by a host (the ingest benchmark counts storage requests with one).
        services.TryAddSingleton(sp => new CallBalancerTables(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetServices<Azure.Core.Pipeline.HttpPipelinePolicy>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TelephonyOptions>>().Value);
        services.TryAddSingleton<CallProgressStore>();
        services.TryAddSingleton<AgentStateStore>();
        services.TryAddSingleton<IntervalStore>();
        services.TryAddSingleton<AgentQueueMonthStore>();
        services.TryAddSingleton<TelephonyIngestor>();
        services.TryAddSingleton<WebhookSignature>();
        services.TryAddSingleton<SnapshotStore>();
        services.TryAddSingleton<AgentModeStore>();
        services.TryAddSingleton<DecisionStore>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<LastRebalanceCache>();
        services.TryAddSingleton<QueueDayCache>();
        services.TryAddSingleton<OfferHoldCache>();
        services.TryAddSingleton<ForecastStore>();
        services.TryAddSingleton<SupervisionStore>();
        services.AddOptions<WhatIfOptions>().Bind(configuration.GetSection(WhatIfOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<WhatIfTraffic>();
        services.TryAddSingleton<IQueueSupervisionSource>(sp => sp.GetRequiredService<SupervisionStore>());
        services.TryAddSingleton<IQueueSettingsSource>(sp => new TableQueueSettingsSource(
            sp.GetRequiredService<SupervisionStore>(), sp.GetRequiredService<IOptions<BalancingOptions>>().Value.ToQueueSettings()));
        services.TryAddSingleton<ModePolicy>();
        services.TryAddSingleton(new RebalanceRetryOptions());
        services.TryAddSingleton<QueueRebalancer>();
        services.TryAddSingleton<RebalanceService>();
        services.TryAddSingleton<RetentionService>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ForecastOptions>>().Value);
        services.TryAddSingleton<ForecastService>();
        services.TryAddSingleton<IForecastSource>(sp => sp.GetRequiredService<ForecastService>());
        services.TryAddSingleton<IRebalanceWorkQueue>(sp => new StorageRebalanceWorkQueue(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<IOptions<RebalanceOptions>>().Value.WorkQueueName is { Length: > 0 } name ? name : "rebalance-work",
            sp.GetServices<Azure.Core.Pipeline.HttpPipelinePolicy>()));

        // Offers and KPI.
        services.TryAddSingleton<ProductStore>();
        services.TryAddSingleton(sp => new CatalogueCache(sp.GetRequiredService<ProductStore>(), sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<OffersOptions>>().Value.CatalogueCacheSeconds)));
        services.TryAddSingleton<CustomerProfileStore>();
        services.TryAddSingleton<ContactHistoryStore>();
        services.TryAddSingleton<PropensityStore>();
        services.TryAddSingleton<KpiRollupStore>();
        services.TryAddSingleton<KpiLedgerStore>();
        services.TryAddSingleton<KpiRollupService>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<OffersOptions>>().Value;
            return new OfferRecommender(o.ToContactPolicy(), new PropensityModel(o.PriorStrength));
        });
        services.TryAddSingleton<OfferService>();
        services.TryAddSingleton<ICallFactsSource, StoredCallFacts>();
        services.TryAddSingleton<KpiService>();

        services.TryAddScoped<QueueSnapshotFunction>();
        services.TryAddScoped<ProductsFunction>();
        services.TryAddScoped<CustomerProfileFunction>();
        services.TryAddScoped<AgentOffersFunction>();
        services.TryAddScoped<OfferOutcomeFunction>();
        services.TryAddScoped<KpiFunction>();
        services.TryAddScoped<AgentModeFunction>();
        services.TryAddScoped<StatusFunction>();
        services.TryAddScoped<RebalanceTimerFunction>();
        services.TryAddScoped<RetentionTimerFunction>();
        services.TryAddScoped<KpiRollupTimerFunction>();
        services.TryAddScoped<RebalanceWorkerFunction>();
        services.TryAddScoped<ForecastTimerFunction>();
        services.TryAddScoped<QueueSettingsFunction>();
        services.TryAddScoped<QueueAuditFunction>();
        services.TryAddScoped<QueueDecisionsFunction>();
        services.TryAddScoped<ModeOverridesFunction>();
        services.TryAddScoped<DashboardSummaryFunction>();
        services.TryAddScoped<DashboardPageFunction>();
        services.TryAddScoped<OpenApiFunction>();
        services.TryAddScoped<WhatIfFunction>();
        services.TryAddScoped<TelephonyEventsFunction>();
        services.TryAddScoped<TwilioWebhookFunction>();
        services.TryAddScoped<AmazonConnectWebhookFunction>();
        services.TryAddScoped<GenesysWebhookFunction>();
        services.TryAddScoped<QueueIntervalsFunction>();
        return services;
    }
}
