using Azure.Core;
using CallBalancer.Core.Offers;
using CallBalancer.Core.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Offers;

/// <summary>KPI figures that stay right at the edges: a ledger write lost between two answers, unattributed calls, the calendar's end, a net zero.</summary>
public sealed class LedgerCompletenessTests(AzuriteFixture azurite) : OffersTestBase(azurite)
{
    private static string Period(DateTimeOffset from, DateTimeOffset to) =>
        $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";

    [Fact]
    public async Task A_reversal_whose_acceptance_never_reached_the_ledger_brings_it_and_nets_to_zero()
    {
        await AgentsReadyAsync();
        var offerId = (await OffersAsync("cust-r", "promotion-enquiry")).GetProperty("offers")[0].GetProperty("offerId").GetString()!;
        var at = Time.GetUtcNow();
        var policy = new FailingRequests("KpiLedger");
        var failing = Client(o => o.AddPolicy(policy, HttpPipelinePosition.PerCall));

        // The acceptance is saved in the contact history, then its ledger append fails (503) and is never retried.
        await Assert.ThrowsAnyAsync<Exception>(() => Service(tables: failing).RecordOutcomeAsync(offerId, Agent, "cust-r", OfferOutcome.Accepted, at));
        policy.Fail = false;
        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(offerId, "reversed", "cust-r", Time.GetUtcNow())));

        var agent = Requests.Body(await KpiFunction().AgentAsync(Query("?" + Period(at.AddHours(-1), at.AddHours(2))), Agent));
        Assert.Equal((1, 0, 0.0), (agent.GetProperty("offersMade").GetInt32(), agent.GetProperty("acceptances").GetInt32(), agent.GetProperty("weightedCredit").GetDouble()));
    }

    [Fact]
    public async Task The_queue_csv_gives_calls_credited_to_no_agent_their_handle_time()
    {
        await AgentsReadyAsync();
        var at = Time.GetUtcNow();
        var telephony = new TelephonyOptions();
        await new TelephonyIngestor(new CallProgressStore(Tables, telephony), new AgentStateStore(Tables), Snapshots,
                new IntervalStore(Tables, telephony), new AgentQueueMonthStore(Tables), telephony)
            .IngestAsync([
                new TelephonyEvent("e1", TelephonyEventKind.CallEnded, at.AddMinutes(-10), "cards") { CallId = "e1", HandleSeconds = 30 },
                new TelephonyEvent("e2", TelephonyEventKind.CallEnded, at.AddMinutes(-10), "cards") { CallId = "e2", HandleSeconds = 90, AgentId = Agent },
            ]);

        var result = Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(
            await KpiFunction().QueueAsync(WithSupervisor(Query("?" + Period(at.AddHours(-1), at.AddHours(1)) + "&format=csv")), "cards"));

        var lines = result.Content!.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        var aht = Array.IndexOf(lines[0], "averageHandleSeconds");
        Assert.True(aht > 0);
        Assert.Equal("60", lines[1][aht]); // the queue: (30 + 90) / 2
        Assert.Equal("90", Assert.Single(lines, l => l[0] == "agent" && l[1] == Agent)[aht]);
        Assert.Equal("30", Assert.Single(lines, l => l[0] == "unattributed")[aht]);
    }

    [Fact]
    public async Task An_agent_report_reaching_the_end_of_the_calendar_answers()
    {
        var result = await KpiFunction().AgentAsync(Query("?from=9999-12-30T00:00:00Z&to=9999-12-31T00:00:00Z"), "alice");
        Assert.Equal(200, Requests.Status(result));
    }

    [Fact]
    public async Task A_credit_that_nets_to_zero_is_written_0_not_minus_0()
    {
        var day = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        await Ledger.AppendAsync(new Core.Kpi.LedgerEntry("o1:reversal", "alice", "c1", "o1", "p", Core.Kpi.LedgerEntryKind.Reversal, 0, -1, -0.3, day.AddHours(1)) { QueueId = "cards" });
        await Ledger.AppendAsync(new Core.Kpi.LedgerEntry("o2:outcome", "alice", "c2", "o2", "q", Core.Kpi.LedgerEntryKind.Outcome, 1, 1, 0.3, day.AddHours(2)) { QueueId = "cards" });

        var json = Requests.Body(await KpiFunction().AgentAsync(Query("?from=2026-11-28T00:00:00Z&to=2026-11-28T09:00:00Z"), "alice"));
        Assert.Equal("0", json.GetProperty("weightedCredit").GetRawText());
        var csv = Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(
            await KpiFunction().AgentAsync(Query("?from=2026-11-28T00:00:00Z&to=2026-11-28T09:00:00Z&format=csv"), "alice")).Content!;
        Assert.DoesNotContain("-0", csv, StringComparison.Ordinal);
    }
}
