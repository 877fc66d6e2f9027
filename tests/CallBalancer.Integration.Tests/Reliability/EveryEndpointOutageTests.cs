using System.Net;
using System.Text;
using System.Text.Json;
using CallBalancer.DevHost;
using CallBalancer.Functions;
using CallBalancer.Functions.Http;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Integration.Tests.Observability;
using CallBalancer.Integration.Tests.Telephony;
using CallBalancer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CallBalancer.Integration.Tests.Reliability;

/// <summary>
/// Every HTTP function of the dev host, sent a request it would accept, while Table storage cannot be reached (a port
/// nobody listens on): each answers 503 problem details, documented in the OpenAPI document, or its fail-safe where it
/// has one, and each counts the request as <c>unavailable</c> on <c>callbalancer.http.requests</c> under its endpoint,
/// the outcome the <c>storage-unavailable</c> alert watches. A function added without an entry here fails the test.
/// </summary>
[Collection(TelemetryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EveryEndpointOutageTests(ITestOutputHelper output)
{
    private enum Answer
    {
        /// <summary>503 problem details.</summary>
        Refused,

        /// <summary>200 with the endpoint's fail-safe body (service-only, no offers).</summary>
        FailSafe,

        /// <summary>503 with the status document (degraded).</summary>
        Degraded,

        /// <summary>Reads no storage: answers as usual.</summary>
        NoStorage,
    }

    private sealed record Call(string Method, string Path, Answer Answer, string? Endpoint, Func<HttpContent>? Body = null, string? IfMatch = null);

    private static HttpContent Json(string body) => new StringContent(body, Encoding.UTF8, "application/json");

    /// <summary>
    /// The host's clock: the time of the documented platform examples, which the webhooks would refuse as too old on
    /// the real clock a week after they were written.
    /// </summary>
    private static readonly DateTimeOffset ExamplesTime = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static readonly string Now = ExamplesTime.AddSeconds(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One request per function, each valid, so only storage stands between it and its usual answer.</summary>
    private static readonly Dictionary<string, Call> Calls = new(StringComparer.Ordinal)
    {
        ["GetStatus"] = new("GET", "/api/status", Answer.Degraded, "status"),
        ["GetOpenApi"] = new("GET", "/api/openapi.json", Answer.NoStorage, null),
        ["GetDashboardPage"] = new("GET", "/api/dashboard", Answer.NoStorage, null),
        ["GetAgentMode"] = new("GET", "/api/agents/a1/mode", Answer.FailSafe, "mode"),
        ["GetAgentOffers"] = new("GET", "/api/agents/a1/offers?customerId=c1&reason=general", Answer.FailSafe, "offers"),
        ["PostQueueSnapshot"] = new("POST", "/api/queues/cards/snapshot", Answer.Refused, "snapshot",
            () => Json($$"""{"observedAt":"{{Now}}","waitingCalls":0,"oldestWaitSeconds":0,"agents":[{"agentId":"a1","state":"available"}]}""")),
        ["PostTelephonyEvents"] = new("POST", "/api/telephony/events", Answer.Refused, "telephony.events",
            () => Json($$"""{"eventId":"e1","type":"call.arrived","occurredAt":"{{Now}}","queueId":"cards","callId":"k1"}""")),
        ["PostTwilioTaskRouterEvent"] = new("POST", "/api/telephony/twilio", Answer.Refused, "telephony.twilio",
            () => new StringContent(DocumentedExamplesTests.Example("twilio-task-created.form").Trim(), Encoding.UTF8, "application/x-www-form-urlencoded")),
        ["PostAmazonConnectEvent"] = new("POST", "/api/telephony/connect", Answer.Refused, "telephony.connect",
            () => Json(DocumentedExamplesTests.Example("connect-connected-to-agent.json"))),
        ["PostGenesysObservation"] = new("POST", "/api/telephony/genesys", Answer.Refused, "telephony.genesys",
            () => Json(DocumentedExamplesTests.Example("genesys-queue-observation.json"))),
        ["GetQueueIntervals"] = new("GET", "/api/queues/cards/intervals?date=2026-11-30", Answer.Refused, "intervals"),
        ["GetAgentKpi"] = new("GET", "/api/agents/a1/kpi?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z", Answer.Refused, "kpi.agent"),
        ["GetQueueKpi"] = new("GET", "/api/queues/cards/kpi?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z", Answer.Refused, "kpi.queue"),
        ["PostOfferOutcome"] = new("POST", "/api/offers/o1/outcome", Answer.Refused, "outcome",
            () => Json($$"""{"outcome":"accepted","agentId":"a1","customerId":"c1","occurredAt":"{{Now}}"}""")),
        ["ListProducts"] = new("GET", "/api/products", Answer.Refused, "products"),
        ["GetProduct"] = new("GET", "/api/products/p1", Answer.Refused, "products"),
        ["PutProduct"] = new("PUT", "/api/products/p1", Answer.Refused, "products",
            () => Json("""{"name":"Cashback booster","category":"card","valueWeight":2,"difficultyWeight":1,"coolDownDays":30}""")),
        ["GetCatalogueAudit"] = new("GET", "/api/catalogue/audit", Answer.Refused, "catalogue.audit"),
        ["PutCustomerProfile"] = new("PUT", "/api/customers/c1/profile", Answer.Refused, "profile",
            () => Json("""{"tier":"gold","tenureMonths":12,"holdings":["sms-alerts"],"monthlySpending":{"travel":10}}""")),
        ["ImportCustomers"] = new("POST", "/api/customers/import", Answer.Refused, "customers.import",
            () => new StringContent("customerId,tier,tenureMonths,holdings,monthlySpending\nc-200,gold,12,sms-alerts,travel:10\n", Encoding.UTF8, "text/csv")),
        ["GetQueueDashboard"] = new("GET", "/api/queues/cards/dashboard", Answer.Refused, "dashboard"),
        ["GetModeOverrides"] = new("GET", "/api/queues/cards/overrides", Answer.Refused, "overrides"),
        ["PostModeOverride"] = new("POST", "/api/queues/cards/overrides", Answer.Refused, "overrides",
            () => Json("""{"scope":"queue","mode":"service-only","reason":"storage drill"}""")),
        ["DeleteModeOverride"] = new("DELETE", "/api/queues/cards/overrides/queue?reason=storage%20drill", Answer.Refused, "overrides"),
        ["GetQueueSettings"] = new("GET", "/api/queues/cards/settings", Answer.Refused, "settings"),
        ["PutQueueSettings"] = new("PUT", "/api/queues/cards/settings", Answer.Refused, "settings",
            () => Json("""{"reason":"storage drill","minDwellSeconds":300}"""), IfMatch: "\"defaults\""),
        ["GetQueueDecisions"] = new("GET", "/api/queues/cards/decisions", Answer.Refused, "decisions"),
        ["GetQueueAudit"] = new("GET", "/api/queues/cards/audit", Answer.Refused, "audit"),
        ["PostWhatIf"] = new("POST", "/api/queues/cards/what-if", Answer.Refused, "what-if",
            () => Json("""{"day":"2026-11-30","settings":{"minDwellSeconds":240}}""")),
    };

    [Fact]
    public async Task With_storage_unreachable_every_function_answers_503_or_its_fail_safe_and_counts_it_as_unavailable()
    {
        using var metrics = new MetricRecorder();
        var port = AzuriteLauncher.FreePort();
        var deadTables = UnreachableStorage.ConnectionString();
        await using var app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", "--REBALANCE_SCHEDULE=0 0 0 1 1 *", "--FORECAST_SCHEDULE=0 0 0 1 1 *",
             "--RETENTION_SCHEDULE=0 0 0 1 1 *", "--KPI_ROLLUP_SCHEDULE=0 0 0 1 1 *", "--CallBalancer:DevAuth:Enabled=true"],
            deadTables,
            builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(ExamplesTime)));
        await app.StartAsync();
        try
        {
            await ProbeEveryFunctionAsync(port, metrics);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private async Task ProbeEveryFunctionAsync(int port, MetricRecorder metrics)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

        var functions = FunctionCatalog.Discover(typeof(CallBalancerServiceCollectionExtensions).Assembly).Where(f => f.Http is not null).ToList();
        Assert.Equal(functions.Select(f => f.Name).Order(StringComparer.Ordinal), Calls.Keys.Order(StringComparer.Ordinal));

        using var openApi = JsonDocument.Parse(await http.GetStringAsync("/api/openapi.json"));
        foreach (var function in functions)
        {
            var call = Calls[function.Name];
            Assert.Contains(call.Method, function.Methods);
            using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path) { Content = call.Body?.Invoke() };
            request.Headers.Add(SupervisorPrincipal.HeaderName, SupervisorPrincipal.Encode("sue", "supervisor"));
            if (call.IfMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", call.IfMatch);
            }

            var before = Unavailable(metrics, call.Endpoint);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{function.Name}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
            var operation = openApi.RootElement.GetProperty("paths").GetProperty(function.Route).GetProperty(call.Method.ToLowerInvariant());
            switch (call.Answer)
            {
                case Answer.Refused:
                    Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{function.Name} answered {(int)response.StatusCode}: {body}");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.Equal("Storage is unavailable.", JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
                    Assert.True(operation.GetProperty("responses").TryGetProperty("503", out _), $"the OpenAPI document gives {function.Name} no 503");
                    break;
                case Answer.FailSafe:
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function.Name} answered {(int)response.StatusCode}: {body}");
                    var failSafe = JsonDocument.Parse(body).RootElement;
                    Assert.Equal("service-only", failSafe.GetProperty("mode").GetString());
                    Assert.Contains("Storage is unreachable", body, StringComparison.Ordinal);
                    break;
                case Answer.Degraded:
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.False(JsonDocument.Parse(body).RootElement.GetProperty("storage").GetProperty("reachable").GetBoolean());
                    Assert.True(operation.GetProperty("responses").TryGetProperty("503", out _), $"the OpenAPI document gives {function.Name} no 503");
                    break;
                default:
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    break;
            }

            if (call.Endpoint is not null)
            {
                Assert.True(Unavailable(metrics, call.Endpoint) == before + 1,
                    $"{function.Name} counted {Unavailable(metrics, call.Endpoint) - before} unavailable requests under '{call.Endpoint}', not 1");
            }
        }

        // Nothing else was counted as a storage outage: every count above belongs to one of these requests.
        Assert.Equal(Calls.Values.Count(c => c.Endpoint is not null), Unavailable(metrics, null));
    }

    private static long Unavailable(MetricRecorder metrics, string? endpoint) => (long)metrics
        .Of(CallBalancerTelemetry.HttpRequestsMetric, (CallBalancerTelemetry.OutcomeTag, CallBalancerTelemetry.UnavailableOutcome))
        .Where(m => endpoint is null || m.Tags.GetValueOrDefault("endpoint") == endpoint)
        .Sum(m => m.Value);
}
