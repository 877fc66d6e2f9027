using System.Text.Json;
using CallBalancer.Core.Offers;
using CallBalancer.Functions;
using CallBalancer.Functions.Balancing;
using CallBalancer.Functions.Http;
using CallBalancer.Functions.Kpi;
using CallBalancer.Functions.Offers;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;
using CallBalancer.Storage.Offers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Offers;

/// <summary>Offer and KPI function classes wired to this test's tables, plus a queue whose agents are in cross-sell.</summary>
public abstract class OffersTestBase(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    /// <summary>An agent of the quiet queue whom the balancer put in cross-sell (set by <see cref="AgentsReadyAsync"/>).</summary>
    protected string Agent { get; private set; } = "cards-agent0000";

    protected ContactHistoryStore Histories => new(Tables);

    protected KpiLedgerStore Ledger => new(Tables, new KpiRollupStore(Tables), Time);

    protected OfferService Service(ContactPolicy? policy = null, CallBalancerTables? tables = null)
    {
        tables ??= Tables;
        return new OfferService(new CatalogueCache(new ProductStore(tables), Time, TimeSpan.FromSeconds(30)), new CustomerProfileStore(tables),
            new ContactHistoryStore(tables), new PropensityStore(tables), new KpiLedgerStore(tables, new KpiRollupStore(tables), Time),
            new OfferRecommender(policy ?? ContactPolicy.Default, PropensityModel.Default), Time);
    }

    private protected AgentOffersFunction OffersFunction(ContactPolicy? policy = null) =>
        new(Service(policy), Modes, new LastRebalanceCache(Runs, Time),
            new OfferHoldCache(Snapshots, new TableQueueSettingsSource(new SupervisionStore(Tables), Core.Balancing.QueueSettings.Default), Time,
                intervals: new IntervalStore(Tables, new TelephonyOptions())),
            Microsoft.Extensions.Options.Options.Create(new BalancingOptions()), Time, NullLogger<AgentOffersFunction>.Instance);

    private protected OfferOutcomeFunction OutcomeFunction(ContactPolicy? policy = null) => new(Service(policy), Time, NullLogger<OfferOutcomeFunction>.Instance);

    private protected static IConfiguration Supervisor(bool trusted = true) =>
        (new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CallBalancer:DevAuth:Enabled"] = trusted ? "true" : "false" }).Build());

    private protected KpiFunction KpiFunction() =>
        new(new KpiService(Ledger, new KpiRollupStore(Tables), Modes, new StoredCallFacts(new IntervalStore(Tables, new TelephonyOptions()), new AgentQueueMonthStore(Tables)), Time),
            Supervisor(), NullLogger<KpiFunction>.Instance);

    /// <summary>Puts the agents of a quiet queue in cross-sell (snapshot + rebalance), and a busy queue's in service-only.</summary>
    protected async Task AgentsReadyAsync()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await Snapshots.SaveLatestAsync(QuietSnapshot("busy", 2, waiting: 30, oldestWait: 300));
        await new RebalanceService(Snapshots, Rebalancer(), Runs, Time).RunAsync();

        // New agents start in service-only and may flip after the minimum dwell: let it pass, with fresh snapshots.
        Time.Advance(TimeSpan.FromSeconds(Core.Balancing.QueueSettings.Default.MinDwellSeconds + 1));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await Snapshots.SaveLatestAsync(QuietSnapshot("busy", 2, waiting: 30, oldestWait: 300));
        await new RebalanceService(Snapshots, Rebalancer(), Runs, Time).RunAsync();
        Agent = (await Modes.GetQueueModesAsync("cards")).First(m => m.State.Mode == Core.Balancing.AgentMode.CrossSell).State.AgentId;
    }

    protected static HttpRequest Query(string query, string? supervisorHeader = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(query);
        if (supervisorHeader is not null)
        {
            context.Request.Headers[SupervisorPrincipal.HeaderName] = supervisorHeader;
        }

        return context.Request;
    }

    protected static HttpRequest WithSupervisor(HttpRequest request)
    {
        request.Headers[SupervisorPrincipal.HeaderName] = SupervisorPrincipal.Encode("sam", SupervisorPrincipal.SupervisorRole);
        return request;
    }

    protected async Task<JsonElement> OffersAsync(string customerId, string reason = "general", string? agentId = null)
    {
        var result = await OffersFunction().RunAsync(Query($"?customerId={customerId}&reason={reason}"), agentId ?? Agent);
        Assert.Equal(200, Requests.Status(result));
        return Requests.Body(result);
    }

    protected async Task<IActionResult> PostOutcomeAsync(string offerId, string outcome, string customerId, DateTimeOffset? at = null, string? agentId = null) =>
        await OutcomeFunction().RunAsync(Requests.Json(JsonSerializer.Serialize(new
        {
            outcome,
            agentId = agentId ?? Agent,
            customerId,
            occurredAt = at ?? Time.GetUtcNow(),
        })), offerId);
}
