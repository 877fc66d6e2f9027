using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallBalancer.Core.Kpi;
using CallBalancer.DevHost;
using CallBalancer.Functions;
using CallBalancer.Functions.Http;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using CallBalancer.Storage.Kpi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit.Abstractions;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>
/// The dashboard in headless Chromium (Debian's), driven by playwright-core against the dev host over HTTP: it loads
/// and shows a posted snapshot, a settings change is saved and appears in the audit, a bad value shows its error; with
/// storage unreachable it says that agents are service-only.
/// Screenshots go to <c>artifacts/screenshots/</c>.
/// </summary>
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(AzuriteFixture azurite, ITestOutputHelper output) : StorageTestBase(azurite), IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private string _baseUrl = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        var port = AzuriteLauncher.FreePort();
        _baseUrl = $"http://127.0.0.1:{port}";
        _app = DevHostApplication.Build(
            [$"--urls={_baseUrl}", $"--CallBalancer:Storage:TablePrefix={Prefix}", "--REBALANCE_SCHEDULE=0 0 0 1 1 *", "--CallBalancer:DevAuth:Enabled=true",
             .. WhatIfData.Directory() is { } data ? [$"--CallBalancer:WhatIf:DataPath={data}"] : Array.Empty<string>()],
            Azurite.ConnectionString,
            b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        _http.DefaultRequestHeaders.Add(SupervisorPrincipal.HeaderName, SupervisorPrincipal.Encode("Browser Supervisor", "supervisor"));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await DisposeAsync();
    }

    [Fact]
    public async Task The_dashboard_shows_a_snapshot_saves_and_audits_a_change_and_shows_a_bad_value_inline()
    {
        await BrowserTools.EnsureAsync();
        var snapshot = new
        {
            observedAt = Time.GetUtcNow(),
            waitingCalls = 3,
            oldestWaitSeconds = 7,
            agents = Enumerable.Range(1, 8).Select(i => new { agentId = $"a{i}", state = i <= 5 ? "available" : "on-call" }),
        };
        var posted = await _http.PostAsync("/api/queues/cards/snapshot", new StringContent(JsonSerializer.Serialize(snapshot), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("/admin/functions/Rebalance", null)).StatusCode);
        Time.Advance(TimeSpan.FromSeconds(5)); // the supervisor looks a moment after the rebalance (periods end before 'now')

        // Three earlier days of the queue's own calls, for the what-if on its recorded traffic (arrivals, each answered in 15 s).
        var telephony = new TelephonyOptions();
        var ingestor = new TelephonyIngestor(new CallProgressStore(Tables, telephony), new AgentStateStore(Tables), Snapshots,
            new IntervalStore(Tables, telephony), new AgentQueueMonthStore(Tables), telephony);
        var calls = new List<Core.Telephony.TelephonyEvent>();
        foreach (var daysAgo in new[] { 3, 2, 1 })
        {
            var opening = new DateTimeOffset(Time.GetUtcNow().Date.AddDays(-daysAgo).AddHours(9), TimeSpan.Zero);
            for (var k = 0; k < 60; k++)
            {
                var id = $"w{daysAgo}c{k}";
                calls.Add(new(id + "a", Core.Telephony.TelephonyEventKind.CallArrived, opening.AddSeconds(k * 240), "cards") { CallId = id });
                calls.Add(new(id + "n", Core.Telephony.TelephonyEventKind.CallAnswered, opening.AddSeconds(k * 240 + 15), "cards") { CallId = id });
            }
        }

        foreach (var batch in calls.Chunk(100))
        {
            await ingestor.IngestAsync(batch);
        }

        // Answers recorded today (2026-11-28, the fake clock's day) and one yesterday, which today's results leave out.
        var ledger = new KpiLedgerStore(Tables, new KpiRollupStore(Tables), Time);
        var today = Time.GetUtcNow();
        await ledger.AppendAsync(new LedgerEntry("o1:outcome", "a1", "c1", "o1", "sms-alerts", LedgerEntryKind.Outcome, 1, 1, 2.5, today.AddHours(-1)) { QueueId = "cards" });
        await ledger.AppendAsync(new LedgerEntry("o2:outcome", "a1", "c2", "o2", "sms-alerts", LedgerEntryKind.Outcome, 1, 0, 0, today.AddMinutes(-30)) { QueueId = "cards" });
        await ledger.AppendAsync(new LedgerEntry("o3:outcome", "a2", "c3", "o3", "sms-alerts", LedgerEntryKind.Outcome, 1, 0, 0, today.AddMinutes(-20)) { QueueId = "cards" });
        await ledger.AppendAsync(new LedgerEntry("o4:outcome", "a1", "c4", "o4", "sms-alerts", LedgerEntryKind.Outcome, 1, 1, 4, today.AddDays(-1)) { QueueId = "cards" });

        var (result, stdout, screenshots) = await RunBrowserAsync(_baseUrl, new()
        {
            ["waitingCalls"] = 3,
            ["oldIdleReserve"] = 2,
            ["newIdleReserve"] = 4,
            ["whatIfDay"] = WhatIfData.Directory() is null ? null : WhatIfData.SampleDay,
            ["queueWhatIfDay"] = Time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, TimeSpan.FromMinutes(3));
        await File.WriteAllTextAsync(Path.Combine(screenshots, "measurements.json"), stdout);

        Assert.Equal("3", result.GetProperty("waitingShown").GetString());
        Assert.Equal(8, result.GetProperty("agentRows").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("firstFlip").GetString()));

        // The decision log finds the rebalance that set a1's mode, with its rule and reason; a bad id is refused inline.
        var log = result.GetProperty("logRows").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToList();
        var logged = Assert.Single(log);
        Assert.Equal("hold-while-waiting", logged[1]);
        Assert.Contains("a1→service-only", logged[2], StringComparison.Ordinal);
        Assert.Contains("caller(s) waiting", logged[3], StringComparison.Ordinal);
        Assert.Contains("for a1", result.GetProperty("logMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains("Agent ids", result.GetProperty("logAgentError").GetString(), StringComparison.Ordinal);

        // Today's results: the queue's total first, then the agents by credit; yesterday's acceptance is not in them.
        var kpi = result.GetProperty("kpiRows").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToList();
        Assert.Equal(["All agents", "3", "1", "33%", "2.5"], kpi[0][..5]);
        Assert.Equal(["a1", "2", "1", "50%", "2.5"], kpi[1][..5]);
        Assert.Equal(["1", "0", "0%", "0.0"], kpi.Single(r => r[0] == "a2")[1..5]);
        Assert.Equal(["0", "0", "–"], kpi.Single(r => r[0] == "a3")[1..4]);
        Assert.Equal(9, kpi.Count); // the total and the 8 agents of the queue

        // This month's CSV (from 2026-11-01) also holds yesterday's acceptance: 4 offers, 2 accepted, 6.5 credit.
        var monthCsv = result.GetProperty("kpiMonthCsv");
        Assert.Equal(200, monthCsv.GetProperty("status").GetInt32());
        Assert.StartsWith("text/csv", monthCsv.GetProperty("type").GetString(), StringComparison.Ordinal);
        var queueRow = monthCsv.GetProperty("text").GetString()!.Split("\r\n")[1].Split(',');
        Assert.Equal(["queue", "cards", "2026-11-01T00:00:00Z"], queueRow[..3]);
        Assert.Equal(["4", "2", "0.5", "6.5"], queueRow[4..8]);
        Assert.Contains("Browser Supervisor", result.GetProperty("auditFirstRow").GetString(), StringComparison.Ordinal);
        Assert.Contains("share", result.GetProperty("serviceLevelError").GetString(), StringComparison.Ordinal);
        Assert.Equal("true", result.GetProperty("serviceLevelInvalid").GetString());
        Assert.True(File.Exists(Path.Combine(screenshots, "settings-validation-error.png")));

        // The server agrees: the good change is stored and audited, the bad one is not.
        var settings = await _http.GetFromJsonAsync<JsonElement>("/api/queues/cards/settings");
        Assert.Equal(4, settings.GetProperty("idleReserve").GetInt32());
        Assert.Equal(0.8, settings.GetProperty("serviceLevelTarget").GetDouble());
        var audit = await _http.GetFromJsonAsync<JsonElement>("/api/queues/cards/audit");
        var entry = Assert.Single(audit.GetProperty("entries").EnumerateArray());
        Assert.Equal("Browser Supervisor", entry.GetProperty("who").GetString());

        if (WhatIfData.Directory() is not null)
        {
            // The panel shows both runs side by side; the stricter target cross-sells less on the same day.
            var text = result.GetProperty("whatIfText").GetString()!;
            Assert.Contains("Cross-sell calls", text, StringComparison.Ordinal);
            Assert.Contains("Proposed", text, StringComparison.Ordinal);
            // The queue has no calls recorded on that 1999 day, so the panel fell back to the reference sample, and says so.
            Assert.Contains("anonymous_bank_1999_6min.csv", text, StringComparison.Ordinal);
        }

        // The what-if on the queue's own recorded day sets what was recorded beside the two runs (every call answered in 15 s).
        var own = result.GetProperty("queueWhatIfText").GetString()!;
        Assert.Contains("queue cards: recorded arrivals of 3 day(s)", own, StringComparison.Ordinal);
        Assert.Contains("Recorded that day", own, StringComparison.Ordinal);
        Assert.Contains("100.0%", own, StringComparison.Ordinal);

        var fcp = result.GetProperty("firstContentfulPaintMs");
        output.WriteLine($"first contentful paint {fcp} ms, data painted at {result.GetProperty("dataPaintMs")} ms, load {result.GetProperty("loadMs")} ms");
    }

    [Fact]
    public async Task With_storage_unreachable_the_dashboard_says_agents_are_service_only()
    {
        await BrowserTools.EnsureAsync();
        var port = AzuriteLauncher.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var deadTables = UnreachableStorage.ConnectionString();
        await using var app = DevHostApplication.Build(
            [$"--urls={baseUrl}", "--REBALANCE_SCHEDULE=0 0 0 1 1 *", "--FORECAST_SCHEDULE=0 0 0 1 1 *", "--CallBalancer:DevAuth:Enabled=true"], deadTables);
        await app.StartAsync();
        try
        {
            var (result, _, _) = await RunBrowserAsync(baseUrl,
                new() { ["mode"] = "status", ["statusPrefix"] = "Storage", ["screenshot"] = "dashboard-storage-unreachable" }, TimeSpan.FromMinutes(2));
            Assert.Contains("every agent is service-only", result.GetProperty("statusText").GetString(), StringComparison.Ordinal);
            Assert.Contains("bad", result.GetProperty("statusClass").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task When_the_balancer_has_stopped_the_dashboard_says_the_desktops_are_service_only()
    {
        await BrowserTools.EnsureAsync();
        var snapshot = new
        {
            observedAt = Time.GetUtcNow(),
            waitingCalls = 0,
            oldestWaitSeconds = 0,
            agents = Enumerable.Range(1, 6).Select(i => new { agentId = $"a{i}", state = "available" }),
        };
        var posted = await _http.PostAsync("/api/queues/cards/snapshot", new StringContent(JsonSerializer.Serialize(snapshot), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync("/admin/functions/Rebalance", null)).StatusCode);
        Time.Advance(TimeSpan.FromSeconds(new BalancingOptions().StaleRebalanceSeconds + 1)); // no rebalance since

        var (result, _, _) = await RunBrowserAsync(_baseUrl,
            new() { ["mode"] = "status", ["statusPrefix"] = "The balancer", ["screenshot"] = "dashboard-balancer-stopped" }, TimeSpan.FromMinutes(2));

        Assert.Contains("service-only until it does (fail safe)", result.GetProperty("statusText").GetString(), StringComparison.Ordinal);
        Assert.Contains("bad", result.GetProperty("statusClass").GetString(), StringComparison.Ordinal);
        // The rows keep the modes the balancer last wrote, and say what the desktops of its cross-sellers show instead.
        var modes = result.GetProperty("agentModes").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Equal(6, modes.Count);
        Assert.Contains(modes, m => m == "cross-sell (desktop shows service-only: fail safe)");
        Assert.All(modes.Where(m => m.StartsWith("cross-sell", StringComparison.Ordinal)), m => Assert.EndsWith("(desktop shows service-only: fail safe)", m, StringComparison.Ordinal));

        // The cards count the desktops: nobody cross-sells, the recorded count beside it.
        var recorded = modes.Count(m => m.StartsWith("cross-sell", StringComparison.Ordinal));
        Assert.Equal($"0 ({recorded} recorded)", result.GetProperty("crossSellCard").GetString());
        Assert.Equal("6", result.GetProperty("serviceOnlyCard").GetString());
    }

    /// <summary>
    /// Runs <c>dashboard-browser.cjs</c> against <paramref name="baseUrl"/> as a supervisor, with <paramref name="settings"/>
    /// added to its config, and returns its last output line (asserted <c>ok</c>), the whole output and the screenshot folder.
    /// </summary>
    private async Task<(JsonElement Result, string Stdout, string Screenshots)> RunBrowserAsync(string baseUrl, Dictionary<string, object?> settings, TimeSpan timeout)
    {
        var screenshots = Path.Combine(AzuriteLauncher.RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);
        var userData = Directory.CreateTempSubdirectory("cb-chromium-");
        var configFile = Path.Combine(userData.FullName, "..", userData.Name + ".json");
        try
        {
            var config = new Dictionary<string, object?>(settings)
            {
                ["playwrightModule"] = BrowserTools.PlaywrightModule,
                ["chromium"] = BrowserTools.Chromium,
                ["userDataDir"] = userData.FullName,
                ["screenshots"] = screenshots,
                ["baseUrl"] = baseUrl,
                ["queue"] = "cards",
                ["principal"] = SupervisorPrincipal.Encode("Browser Supervisor", "supervisor"),
            };
            await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(config));
            using var cts = new CancellationTokenSource(timeout);
            var script = Path.Combine(AppContext.BaseDirectory, "Console", "dashboard-browser.cjs");
            var stdout = await BrowserTools.RunAsync("node", [script, configFile], cts.Token, allowFailure: true);
            output.WriteLine(stdout);
            var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
            Assert.True(result.GetProperty("ok").GetBoolean(), stdout);
            return (result, stdout, screenshots);
        }
        finally
        {
            userData.Delete(recursive: true);
            File.Delete(configFile);
        }
    }
}
