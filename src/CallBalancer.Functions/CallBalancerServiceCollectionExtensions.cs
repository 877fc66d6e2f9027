using CallBalancer.Core.Balancing;
using CallBalancer.Core.Kpi;
using CallBalancer.Core.Offers;
using CallBalancer.Functions.Balancing;
using CallBalancer.Functions.Http;
using CallBalancer.Functions.Kpi;
using CallBalancer.Functions.Offers;
using CallBalancer.Functions.Maintenance;
using CallBalancer.Functions.Status;
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

        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<OffersOptions>()
            .Bind(configuration.GetSection(OffersOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(sp => new CallBalancerTables(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton<SnapshotStore>();
        services.TryAddSingleton<AgentModeStore>();
        services.TryAddSingleton<DecisionStore>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<IQueueSettingsSource>(sp =>
            new DefaultQueueSettingsSource(sp.GetRequiredService<IOptions<BalancingOptions>>().Value.ToQueueSettings()));
        services.TryAddSingleton<ModePolicy>();
        services.TryAddSingleton(new RebalanceRetryOptions());
        services.TryAddSingleton<QueueRebalancer>();
        services.TryAddSingleton<RebalanceService>();
        services.TryAddSingleton<RetentionService>();

        // Offers and KPI.
        services.TryAddSingleton<SupervisorPrincipal>();
        services.TryAddSingleton<ProductStore>();
        services.TryAddSingleton(sp => new CatalogueCache(sp.GetRequiredService<ProductStore>(), sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<OffersOptions>>().Value.CatalogueCacheSeconds)));
        services.TryAddSingleton<CustomerProfileStore>();
        services.TryAddSingleton<ContactHistoryStore>();
        services.TryAddSingleton<PropensityStore>();
        services.TryAddSingleton<KpiLedgerStore>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<OffersOptions>>().Value;
            return new OfferRecommender(o.ToContactPolicy(), new PropensityModel(o.PriorStrength));
        });
        services.TryAddSingleton<OfferService>();
        services.TryAddSingleton<ICallFactsSource, CallFactsUnavailable>();
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
        return services;
    }
}
