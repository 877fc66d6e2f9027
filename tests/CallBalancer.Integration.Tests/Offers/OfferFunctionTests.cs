using System.Text.Json;
using CallBalancer.Core.Offers;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using CallBalancer.Storage.Offers;

namespace CallBalancer.Integration.Tests.Offers;

public sealed class OfferFunctionTests(AzuriteFixture azurite) : OffersTestBase(azurite)
{
    [Fact]
    public async Task A_cross_sell_agent_gets_three_to_five_offers_for_an_unknown_customer_and_a_service_only_agent_none()
    {
        await AgentsReadyAsync();
        var body = await OffersAsync("cust-1", "card-activation");
        Assert.True(body.GetProperty("mode").GetString() == "cross-sell", body.ToString());
        var offers = body.GetProperty("offers").EnumerateArray().ToList();
        Assert.InRange(offers.Count, 3, 5);
        Assert.All(offers, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.GetProperty("offerId").GetString()));
            Assert.False(string.IsNullOrEmpty(o.GetProperty("why").GetString()));
            Assert.True(o.GetProperty("score").GetDouble() > 0);
        });
        Assert.Contains(offers[0].GetProperty("productId").GetString(), new[] { "e-statement", "sms-alerts" });

        var busy = await OffersAsync("cust-1", "card-activation", agentId: "busy-agent0000");
        Assert.Equal("service-only", busy.GetProperty("mode").GetString());
        Assert.Empty(busy.GetProperty("offers").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(busy.GetProperty("noOfferReason").GetString()));
    }

    [Fact]
    public async Task While_callers_wait_a_cross_seller_gets_no_offer_for_this_call_and_nothing_is_saved_until_the_queue_clears()
    {
        await AgentsReadyAsync();

        // Two callers waiting (well below the emergency limits): the mode stays, the offer is held for this call.
        Time.Advance(TimeSpan.FromSeconds(3));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4, waiting: 2, oldestWait: 5));
        var held = await OffersAsync("cust-held", "card-activation");
        Assert.Equal("cross-sell", held.GetProperty("mode").GetString());
        Assert.Empty(held.GetProperty("offers").EnumerateArray());
        Assert.Contains("2 caller(s) waiting", held.GetProperty("noOfferReason").GetString(), StringComparison.Ordinal);

        // Nobody else free (every other agent on a call): held as well.
        Time.Advance(TimeSpan.FromSeconds(3));
        var onCalls = QuietSnapshot("cards", 4, state: Core.Balancing.AgentState.OnCall);
        await Snapshots.SaveLatestAsync(onCalls with
        {
            Agents = onCalls.Agents.Select(a => a.AgentId == Agent ? a with { State = Core.Balancing.AgentState.Available } : a).ToList(),
        });
        var noneFree = await OffersAsync("cust-held", "card-activation");
        Assert.Empty(noneFree.GetProperty("offers").EnumerateArray());
        Assert.Contains("0 other agent(s) free", noneFree.GetProperty("noOfferReason").GetString(), StringComparison.Ordinal);

        var table = await Tables.GetAsync(Tables.Names.CustomerOffers);
        async Task<int> SavedRecommendations()
        {
            var n = 0;
            await foreach (var e in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "cust-held"))
            {
                n += e.RowKey.StartsWith("rec-", StringComparison.Ordinal) ? 1 : 0;
            }

            return n;
        }

        Assert.Equal(0, await SavedRecommendations());

        // The queue clears: the next call gets its offers, and they are saved.
        Time.Advance(TimeSpan.FromSeconds(3));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        var offers = await OffersAsync("cust-held", "card-activation");
        Assert.InRange(offers.GetProperty("offers").GetArrayLength(), 3, 5);
        Assert.Equal(1, await SavedRecommendations());
    }

    [Fact]
    public async Task A_half_hour_running_below_the_target_gets_no_offers_until_the_next_half_hour_starts()
    {
        await AgentsReadyAsync();

        // The platform has reported 8 answers in this half-hour, 3 of them within the target: 38% so far.
        var options = new TelephonyOptions();
        var aggregation = options.ToAggregation();
        var answers = Enumerable.Range(0, 8)
            .Select(i => new Core.Telephony.TelephonyEvent($"ans-{i}", Core.Telephony.TelephonyEventKind.CallAnswered, Time.GetUtcNow().AddSeconds(-60 + i), "cards")
            {
                CallId = $"call-{i}",
                WaitSeconds = i < 3 ? 4 : 50,
            })
            .Select(e => (e, aggregation.Contribution(e)))
            .ToList();
        await new IntervalStore(Tables, options).RecordAsync(answers);

        Time.Advance(TimeSpan.FromSeconds(3));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        var held = await OffersAsync("cust-guard", "card-activation");
        Assert.Equal("cross-sell", held.GetProperty("mode").GetString());
        Assert.Empty(held.GetProperty("offers").EnumerateArray());
        Assert.Contains("3 of 8 calls", held.GetProperty("noOfferReason").GetString(), StringComparison.Ordinal);

        // The next half-hour starts from nothing: with a fresh rebalance the same queue gets its offers again.
        Time.SetUtcNow(Core.Balancing.OfferHold.GuardWindowStart(Time.GetUtcNow()).AddMinutes(30).AddSeconds(5));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
        await new RebalanceService(Snapshots, Rebalancer(), Runs, Time).RunAsync();
        var offers = await OffersAsync("cust-guard", "card-activation");
        Assert.InRange(offers.GetProperty("offers").GetArrayLength(), 3, 5);
    }

    [Fact]
    public async Task A_complaint_gets_an_empty_list_that_says_why()
    {
        await AgentsReadyAsync();
        var body = await OffersAsync("cust-1", "complaint");
        Assert.Empty(body.GetProperty("offers").EnumerateArray());
        Assert.Contains("Complaint", body.GetProperty("noOfferReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_queries_are_400_naming_each_field()
    {
        await AgentsReadyAsync();
        var result = await OffersFunction().RunAsync(Query("?reason=shopping"), Agent);
        Assert.Equal(400, Requests.Status(result));
        var errors = Requests.Body(result).GetProperty("errors");
        Assert.True(errors.TryGetProperty("reason", out _));
        Assert.True(errors.TryGetProperty("customerId", out _));
        Assert.Equal(404, Requests.Status(await OffersFunction().RunAsync(Query("?customerId=c1&reason=general"), "ghost")));
    }

    [Fact]
    public async Task An_outcome_is_recorded_once_however_often_it_is_posted()
    {
        await AgentsReadyAsync();
        var offerId = (await OffersAsync("cust-2", "promotion-enquiry")).GetProperty("offers")[0].GetProperty("offerId").GetString()!;
        var at = Time.GetUtcNow();
        var first = await PostOutcomeAsync(offerId, "accepted", "cust-2", at);
        var second = await PostOutcomeAsync(offerId, "accepted", "cust-2", at);
        Assert.Equal(200, Requests.Status(first));
        Assert.Equal("recorded", Requests.Body(first).GetProperty("status").GetString());
        Assert.Equal("already-recorded", Requests.Body(second).GetProperty("status").GetString());

        var (history, _) = await Histories.GetHistoryAsync("cust-2");
        Assert.Single(history.Records);
        Assert.Single(await Ledger.GetAsync(Agent, at.AddDays(-1), at.AddDays(1)));

        var conflicting = await PostOutcomeAsync(offerId, "declined", "cust-2", at);
        Assert.Equal(409, Requests.Status(conflicting));
        Assert.Equal("conflict", Requests.Body(conflicting).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Invalid_outcomes_are_rejected_and_write_nothing()
    {
        await AgentsReadyAsync();
        var offerId = (await OffersAsync("cust-3")).GetProperty("offers")[0].GetProperty("offerId").GetString()!;

        var bad = await OutcomeFunction().RunAsync(Requests.Json($"{{\"outcome\":\"maybe\",\"agentId\":\"{Agent}\",\"customerId\":\"cust-3\"}}"), offerId);
        Assert.Equal(400, Requests.Status(bad));
        var errors = Requests.Body(bad).GetProperty("errors");
        Assert.True(errors.TryGetProperty("outcome", out _));
        Assert.True(errors.TryGetProperty("occurredAt", out _));

        var extra = await OutcomeFunction().RunAsync(Requests.Json($"{{\"outcome\":\"accepted\",\"agentId\":\"{Agent}\",\"customerId\":\"cust-3\",\"occurredAt\":\"2026-11-28T09:00:00Z\",\"cardNumber\":\"4111\"}}"), offerId);
        Assert.Equal(400, Requests.Status(extra));
        Assert.Equal(415, Requests.Status(await OutcomeFunction().RunAsync(Requests.Json("{}", "text/plain"), offerId)));
        Assert.Equal(404, Requests.Status(await PostOutcomeAsync("no-such-offer", "accepted", "cust-3")));
        Assert.Equal(404, Requests.Status(await PostOutcomeAsync(offerId, "accepted", "someone-else")));
        Assert.Equal(400, Requests.Status(await PostOutcomeAsync(offerId, "accepted", "cust-3", agentId: "someone-else-agent")));
        Assert.Equal(409, Requests.Status(await PostOutcomeAsync(offerId, "reversed", "cust-3")));

        var (history, etag) = await Histories.GetHistoryAsync("cust-3");
        Assert.Empty(history.Records);
        Assert.Null(etag);
        Assert.Empty(await Ledger.GetAsync(Agent, Time.GetUtcNow().AddYears(-1), Time.GetUtcNow().AddYears(1)));
    }

    [Fact]
    public async Task Parallel_outcomes_for_one_customer_never_exceed_the_contact_limit()
    {
        await AgentsReadyAsync();
        var offerIds = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            // Recommendations are shown before any answer is recorded, so all of them are open at once, as with overlapping calls.
            offerIds.AddRange((await OffersAsync("cust-4", i % 2 == 0 ? "general" : "card-activation")).GetProperty("offers").EnumerateArray()
                .Select(o => o.GetProperty("offerId").GetString()!));
        }

        Assert.True(offerIds.Count >= 10);
        var service = Service();
        var at = Time.GetUtcNow();
        var results = await Task.WhenAll(offerIds.Select(id => Task.Run(() =>
            service.RecordOutcomeAsync(id, Agent, "cust-4", OfferOutcome.Declined, at))));

        Assert.Equal(ContactPolicy.Default.MaxOffers, results.Count(r => r.Status == OutcomeStatus.Recorded));
        // Refused by the limit, or (the recommendations share products) by a product's cool-down after its first decline.
        Assert.All(results.Where(r => r.Status != OutcomeStatus.Recorded), r => Assert.Contains(r.Decision!.Rejection, new[] { "contact-limit", "cool-down" }));
        var (history, _) = await Histories.GetHistoryAsync("cust-4");
        Assert.Equal(ContactPolicy.Default.MaxOffers, history.Records.Count);
        Assert.Equal(ContactPolicy.Default.MaxOffers, (await Ledger.GetAsync(Agent, at.AddDays(-1), at.AddDays(1))).Count);

        // And the desktop is told so on the next call.
        var next = await OffersAsync("cust-4");
        Assert.Empty(next.GetProperty("offers").EnumerateArray());
        Assert.Contains("Contact limit", next.GetProperty("noOfferReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_retries_of_one_answer_record_it_once()
    {
        await AgentsReadyAsync();
        var offerId = (await OffersAsync("cust-5", "promotion-enquiry")).GetProperty("offers")[0].GetProperty("offerId").GetString()!;
        var service = Service();
        var at = Time.GetUtcNow();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            service.RecordOutcomeAsync(offerId, Agent, "cust-5", OfferOutcome.Accepted, at))));
        Assert.Equal(1, results.Count(r => r.Status == OutcomeStatus.Recorded));
        Assert.Equal(7, results.Count(r => r.Status == OutcomeStatus.AlreadyRecorded));
        Assert.Single(await Ledger.GetAsync(Agent, at.AddDays(-1), at.AddDays(1)));
    }

    [Fact]
    public async Task Accept_then_reverse_nets_to_zero_in_the_agent_and_queue_kpi()
    {
        await AgentsReadyAsync();
        var offers = (await OffersAsync("cust-6", "promotion-enquiry")).GetProperty("offers");
        var at = Time.GetUtcNow();
        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(offers[0].GetProperty("offerId").GetString()!, "accepted", "cust-6", at)));
        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(offers[1].GetProperty("offerId").GetString()!, "declined", "cust-6", at)));
        var from = Uri.EscapeDataString(at.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(at.AddHours(1).ToString("O"));

        var before = Requests.Body(await KpiFunction().AgentAsync(Query($"?from={from}&to={to}"), Agent));
        Assert.Equal(2, before.GetProperty("offersMade").GetInt32());
        Assert.Equal(1, before.GetProperty("acceptances").GetInt32());
        Assert.Equal(0.5, before.GetProperty("conversion").GetDouble());
        Assert.True(before.GetProperty("weightedCredit").GetDouble() > 0);
        Assert.Equal(0, before.GetProperty("callsHandled").GetInt32());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("averageHandleSeconds").ValueKind);

        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(offers[0].GetProperty("offerId").GetString()!, "reversed", "cust-6", at.AddMinutes(5))));
        var after = Requests.Body(await KpiFunction().AgentAsync(Query($"?from={from}&to={to}"), Agent));
        Assert.Equal(2, after.GetProperty("offersMade").GetInt32());
        Assert.Equal(0, after.GetProperty("acceptances").GetInt32());
        Assert.Equal(0, after.GetProperty("weightedCredit").GetDouble());
        Assert.Equal(3, after.GetProperty("ledgerEntries").GetInt32());

        var queue = await KpiFunction().QueueAsync(WithSupervisor(Query($"?from={from}&to={to}")), "cards");
        Assert.Equal(200, Requests.Status(queue));
        var q = Requests.Body(queue);
        Assert.Equal(2, q.GetProperty("offersMade").GetInt32());
        Assert.Equal(4, q.GetProperty("agents").GetArrayLength());

        var badPeriod = await KpiFunction().AgentAsync(Query($"?from={to}&to={from}"), Agent);
        Assert.Equal(400, Requests.Status(badPeriod));
        Assert.True(Requests.Body(badPeriod).GetProperty("errors").TryGetProperty("to", out _));
    }

    [Fact]
    public async Task Calls_handled_and_aht_come_from_the_telephony_events_for_the_queue_and_for_each_agent()
    {
        await AgentsReadyAsync();
        var at = Time.GetUtcNow();
        var other = (await Modes.GetQueueModesAsync("cards")).Select(m => m.State.AgentId).First(a => a != Agent);
        var telephony = new TelephonyOptions();
        var ingestor = new TelephonyIngestor(new CallProgressStore(Tables, telephony), new AgentStateStore(Tables), Snapshots,
            new IntervalStore(Tables, telephony), new AgentQueueMonthStore(Tables), telephony);
        Core.Telephony.TelephonyEvent Ended(string id, DateTimeOffset when, double seconds, string? agent, string queue = "cards") =>
            new(id, Core.Telephony.TelephonyEventKind.CallEnded, when, queue) { CallId = id, HandleSeconds = seconds, AgentId = agent };
        await ingestor.IngestAsync(
        [
            Ended("e1", at.AddMinutes(-20), 200, Agent),
            Ended("e2", at.AddMinutes(-10), 100, Agent),
            Ended("e3", at.AddMinutes(-10), 60, other),
            Ended("e4", at.AddMinutes(-10), 30, null),
            Ended("e5", at.AddMinutes(-5), 500, Agent, queue: "loans"),
            Ended("e6", at.AddDays(-2), 900, Agent),
        ]);
        var from = Uri.EscapeDataString(at.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(at.AddHours(1).ToString("O"));

        var queue = Requests.Body(await KpiFunction().QueueAsync(WithSupervisor(Query($"?from={from}&to={to}")), "cards"));
        Assert.Equal(4, queue.GetProperty("callsHandled").GetInt32());
        Assert.Equal(97.5, queue.GetProperty("averageHandleSeconds").GetDouble());
        Assert.Equal(1, queue.GetProperty("callsWithoutAgent").GetInt32());
        var agents = queue.GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("agentId").GetString()!);
        Assert.Equal(2, agents[Agent].GetProperty("callsHandled").GetInt32());
        Assert.Equal(150, agents[Agent].GetProperty("averageHandleSeconds").GetDouble());
        Assert.Equal(1, agents[other].GetProperty("callsHandled").GetInt32());

        // The agent's own report covers every queue the agent handled calls in (cards and loans), in the period only.
        var agent = Requests.Body(await KpiFunction().AgentAsync(Query($"?from={from}&to={to}"), Agent));
        Assert.Equal(3, agent.GetProperty("callsHandled").GetInt32());
        Assert.Equal(266.7, agent.GetProperty("averageHandleSeconds").GetDouble());
    }

    [Fact]
    public async Task The_queue_kpi_downloads_as_csv_with_the_same_figures()
    {
        await AgentsReadyAsync();
        var offers = (await OffersAsync("cust-7", "promotion-enquiry")).GetProperty("offers");
        var at = Time.GetUtcNow();
        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(offers[0].GetProperty("offerId").GetString()!, "accepted", "cust-7", at)));
        var telephony = new TelephonyOptions();
        await new TelephonyIngestor(new CallProgressStore(Tables, telephony), new AgentStateStore(Tables), Snapshots,
                new IntervalStore(Tables, telephony), new AgentQueueMonthStore(Tables), telephony)
            .IngestAsync([new Core.Telephony.TelephonyEvent("e1", Core.Telephony.TelephonyEventKind.CallEnded, at.AddMinutes(-10), "cards") { CallId = "e1", HandleSeconds = 30 }]);
        var period = $"from={Uri.EscapeDataString(at.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(at.AddHours(1).ToString("O"))}";

        var json = Requests.Body(await KpiFunction().QueueAsync(WithSupervisor(Query("?" + period)), "cards"));
        var request = WithSupervisor(Query("?" + period + "&format=csv"));
        var result = Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(await KpiFunction().QueueAsync(request, "cards"));
        Assert.StartsWith("text/csv", result.ContentType, StringComparison.Ordinal);
        Assert.Contains("attachment; filename=\"kpi-queue-cards-", request.HttpContext.Response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        var lines = result.Content!.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal(Core.Kpi.KpiCsv.Columns, lines[0]);
        Assert.Equal(["queue", "cards"], lines[1][..2]);
        Assert.Equal(json.GetProperty("offersMade").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), lines[1][4]);
        Assert.Equal("1", lines[1][5]);

        // One row per agent of the JSON report, then the calls credited to no agent.
        var agentRows = lines.Where(l => l[0] == "agent").ToList();
        Assert.Equal(json.GetProperty("agents").EnumerateArray().Select(a => a.GetProperty("agentId").GetString()), agentRows.Select(l => l[1]));
        Assert.Equal("1", Assert.Single(agentRows, l => l[1] == Agent)[4]);
        Assert.Equal(["unattributed", "cards"], lines[^1][..2]);
        Assert.Equal("1", lines[^1][8]);

        var bad = await KpiFunction().QueueAsync(WithSupervisor(Query("?" + period + "&format=xml")), "cards");
        Assert.Equal(400, Requests.Status(bad));
        Assert.True(Requests.Body(bad).GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Offers_count_in_the_queue_they_were_made_in_after_the_agent_moves()
    {
        await AgentsReadyAsync();
        var at = Time.GetUtcNow();
        var offers = (await OffersAsync("cust-7", "promotion-enquiry")).GetProperty("offers");
        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(offers[0].GetProperty("offerId").GetString()!, "accepted", "cust-7", at)));

        // The agent moves to another queue (its snapshot lists the agent; the balancer records it there).
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4) with { Agents = QuietSnapshot("cards", 4).Agents.Where(a => a.AgentId != Agent).ToList() });
        await Snapshots.SaveLatestAsync(QuietSnapshot("loans", 1) with { Agents = [new Core.Balancing.AgentPresence(Agent, Core.Balancing.AgentState.Available)] });
        await new RebalanceService(Snapshots, Rebalancer(), Runs, Time).RunAsync();
        Assert.Equal("loans", (await Modes.GetAgentModeAsync(Agent))!.QueueId);

        var from = Uri.EscapeDataString(at.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(at.AddHours(1).ToString("O"));
        var cards = Requests.Body(await KpiFunction().QueueAsync(WithSupervisor(Query($"?from={from}&to={to}")), "cards"));
        Assert.Equal((1, 1), (cards.GetProperty("offersMade").GetInt32(), cards.GetProperty("acceptances").GetInt32()));
        var mine = cards.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("agentId").GetString() == Agent);
        Assert.Equal(1, mine.GetProperty("offersMade").GetInt32());
        var loans = Requests.Body(await KpiFunction().QueueAsync(WithSupervisor(Query($"?from={from}&to={to}")), "loans"));
        Assert.Equal(0, loans.GetProperty("offersMade").GetInt32());

        // The ledger alone gives the same figures: the queue's entries, and the agent's.
        var entries = await Ledger.GetQueueAsync("cards", at.AddHours(-1), at.AddHours(1));
        Assert.Equal(cards.GetProperty("weightedCredit").GetDouble(), entries.Sum(e => e.Credit), 6);
        Assert.Equal(entries.Select(e => e.EntryId), (await Ledger.GetAsync(Agent, at.AddHours(-1), at.AddHours(1))).Select(e => e.EntryId));
        Assert.Equal(404, Requests.Status(await KpiFunction().QueueAsync(WithSupervisor(Query($"?from={from}&to={to}")), "no-such-queue")));
    }

    [Fact]
    public async Task A_shared_agent_gets_no_offer_while_callers_wait_in_any_queue_it_is_staffed_in()
    {
        // The hold judged only the queue the desktop's answer came from (the one that let the agent cross-sell last).
        await AgentsReadyAsync();
        var everyoneFree = Core.Balancing.QueueSettings.Default with { IdleReserve = 0 };
        Core.Balancing.QueueSnapshot Loans() => QuietSnapshot("loans", 3) with
        {
            Agents = [new Core.Balancing.AgentPresence(Agent, Core.Balancing.AgentState.Available), .. QuietSnapshot("loans", 3).Agents],
        };
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(i == 0 ? 0 : 6)); // past the dwell
            await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4));
            await Snapshots.SaveLatestAsync(Loans());
            await new RebalanceService(Snapshots, Rebalancer(everyoneFree), Runs, Time).RunAsync();
        }

        var mode = (await Modes.GetAgentModeAsync(Agent))!;
        Assert.Equal(("loans", Core.Balancing.AgentMode.CrossSell), (mode.QueueId, mode.Mode));
        Assert.Equal(["cards"], mode.AlsoStaffedIn);
        var before = await OffersAsync("cust-shared", "card-activation");
        Assert.True(before.GetProperty("offers").GetArrayLength() is >= 3 and <= 5, before.ToString());

        // Two callers wait in cards, not in loans, the queue that answered.
        Time.Advance(TimeSpan.FromSeconds(3));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 4, waiting: 2, oldestWait: 5));
        var held = await OffersAsync("cust-shared", "card-activation");
        Assert.Equal("cross-sell", held.GetProperty("mode").GetString());
        Assert.Empty(held.GetProperty("offers").EnumerateArray());
        Assert.Contains("2 caller(s) waiting", held.GetProperty("noOfferReason").GetString(), StringComparison.Ordinal);
    }
}
