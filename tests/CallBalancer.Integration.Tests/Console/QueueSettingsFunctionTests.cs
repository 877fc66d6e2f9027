using CallBalancer.Core.Balancing;
using CallBalancer.Functions;
using CallBalancer.Functions.Supervision;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Console;

public sealed class QueueSettingsFunctionTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private SupervisionStore Store => new(Tables);

    private QueueSettingsFunction Function(Microsoft.Extensions.Configuration.IConfiguration? config = null) =>
        new(Store, Microsoft.Extensions.Options.Options.Create(new BalancingOptions { IdleReserve = 3 }), Microsoft.Extensions.Options.Options.Create(new TelephonyOptions()),
            config ?? SupervisorRequests.DevAuth(), Time,
            NullLogger<QueueSettingsFunction>.Instance);

    private QueueAuditFunction Audit() => new(Store, SupervisorRequests.DevAuth(), NullLogger<QueueAuditFunction>.Instance);

    [Fact]
    public async Task An_unknown_queue_answers_the_configured_defaults_with_an_etag()
    {
        var request = SupervisorRequests.Get();
        var result = await Function().GetAsync(request, "cards");
        Assert.Equal(200, Requests.Status(result));
        var body = Requests.Body(result);
        Assert.Equal("defaults", body.GetProperty("source").GetString());
        Assert.Equal(3, body.GetProperty("idleReserve").GetInt32());
        Assert.Equal(0.8, body.GetProperty("serviceLevelTarget").GetDouble());
        Assert.Equal("\"defaults\"", SupervisorRequests.ETag(request));
    }

    [Fact]
    public async Task Supervisor_role_is_required_and_the_header_is_ignored_without_dev_auth()
    {
        Assert.Equal(401, Requests.Status(await Function().GetAsync(SupervisorRequests.Get(role: null), "cards")));
        Assert.Equal(403, Requests.Status(await Function().GetAsync(SupervisorRequests.Get(role: "agent"), "cards")));
        Assert.Equal(401, Requests.Status(await Function(SupervisorRequests.DevAuth(enabled: false)).GetAsync(SupervisorRequests.Get(), "cards")));
        var put = SupervisorRequests.Json("""{"idleReserve":1,"reason":"x"}""", "PUT", role: "agent", ifMatch: "\"defaults\"");
        Assert.Equal(403, Requests.Status(await Function().PutAsync(put, "cards")));
        Assert.Empty(await Store.ListAuditAsync("cards", 10));
    }

    [Theory]
    [InlineData("""{"maxIntervalDrops":0.02,"reason":"safer at the peak"}""", "maxIntervalDrops")]
    [InlineData("""{"crossSellWindows":[{"days":["monday"],"from":"09:00","to":"12:00","until":"13:00"}],"reason":"mornings"}""", "until")]
    public async Task A_misspelt_setting_is_refused_by_name_and_nothing_is_saved_or_audited(string body, string field)
    {
        var put = await Function().PutAsync(SupervisorRequests.Json(body, "PUT", ifMatch: "\"defaults\""), "cards");

        Assert.Equal(400, Requests.Status(put));
        var errors = Requests.Body(put).GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Value[0].GetString()!.Contains($"'{field}' is not a field", StringComparison.Ordinal));
        Assert.Empty(await Store.ListAuditAsync("cards", 10));
        Assert.Equal("defaults", Requests.Body(await Function().GetAsync(SupervisorRequests.Get(), "cards")).GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_settings_document_read_edited_and_sent_back_saves()
    {
        var get = SupervisorRequests.Get();
        var document = System.Text.Json.Nodes.JsonNode.Parse(Requests.Body(await Function().GetAsync(get, "cards")).GetRawText())!.AsObject();
        document["idleReserve"] = 1;
        document["reason"] = "round trip";

        var put = SupervisorRequests.Json(document.ToJsonString(), "PUT", ifMatch: SupervisorRequests.ETag(get));
        var result = await Function().PutAsync(put, "cards");

        Assert.Equal(200, Requests.Status(result));
        Assert.Equal(1, Requests.Body(result).GetProperty("idleReserve").GetInt32());
        Assert.Equal("supervisor", Requests.Body(result).GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_whole_audit_is_read_a_page_at_a_time_newest_first()
    {
        // The list stopped at the newest 500 entries, with no way to read further back.
        var etag = "\"defaults\"";
        for (var i = 1; i <= 5; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            var put = SupervisorRequests.Json($$"""{"idleReserve":{{i}},"reason":"change {{i}}"}""", "PUT", ifMatch: etag);
            Assert.Equal(200, Requests.Status(await Function().PutAsync(put, "cards")));
            etag = SupervisorRequests.ETag(put);
        }

        var reasons = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var query = "?take=2" + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation));
            var body = Requests.Body(await Audit().RunAsync(SupervisorRequests.Get(query: query), "cards"));
            reasons.AddRange(body.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!));
            continuation = body.GetProperty("continuation").GetString();
            pages++;
        }
        while (continuation is not null && pages < 10);

        Assert.Equal(["change 5", "change 4", "change 3", "change 2", "change 1"], reasons);
        Assert.Equal(3, pages);

        var bad = await Audit().RunAsync(SupervisorRequests.Get(query: "?continuation=decision_123"), "cards");
        Assert.Equal(400, Requests.Status(bad));
        Assert.True(Requests.Body(bad).GetProperty("errors").TryGetProperty("continuation", out _));
    }

    [Fact]
    public async Task A_put_needs_if_match_and_a_stale_one_is_412()
    {
        var missing = await Function().PutAsync(SupervisorRequests.Json("""{"idleReserve":1,"reason":"x"}""", "PUT"), "cards");
        Assert.Equal(428, Requests.Status(missing));

        var first = SupervisorRequests.Json("""{"idleReserve":1,"reason":"quiet morning"}""", "PUT", ifMatch: "\"defaults\"");
        Assert.Equal(200, Requests.Status(await Function().PutAsync(first, "cards")));
        var etag = SupervisorRequests.ETag(first);
        Assert.NotEqual("\"defaults\"", etag);

        // Based on the defaults again (someone who had not seen the first change): refused, nothing written.
        var stale = await Function().PutAsync(SupervisorRequests.Json("""{"idleReserve":5,"reason":"late"}""", "PUT", ifMatch: "\"defaults\""), "cards");
        Assert.Equal(412, Requests.Status(stale));
        var second = SupervisorRequests.Json("""{"idleReserve":2,"reason":"lunch"}""", "PUT", ifMatch: etag);
        Assert.Equal(200, Requests.Status(await Function().PutAsync(second, "cards")));
        Assert.Equal(412, Requests.Status(await Function().PutAsync(SupervisorRequests.Json("""{"idleReserve":4,"reason":"again"}""", "PUT", ifMatch: etag), "cards")));
        Assert.Equal(2, (await Store.ListAuditAsync("cards", 10)).Count);
    }

    [Fact]
    public async Task Invalid_values_get_problem_details_naming_each_field_and_nothing_is_written()
    {
        var result = await Function().PutAsync(SupervisorRequests.Json(
            """{"serviceLevelTarget":80,"targetSeconds":20,"emergencyWaitSeconds":10,"crossSellWindows":[{"days":["funday"],"from":"8am","to":"18:00"}],"reason":""}""",
            "PUT", ifMatch: "\"defaults\""), "cards");
        Assert.Equal(400, Requests.Status(result));
        var errors = Requests.Body(result).GetProperty("errors");
        foreach (var field in new[] { "serviceLevelTarget", "emergencyWaitSeconds", "crossSellWindows[0].days", "crossSellWindows[0].from", "reason" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.Null(await Store.GetSettingsAsync("cards"));
        Assert.Empty(await Store.ListAuditAsync("cards", 10));
    }

    [Fact]
    public async Task Every_change_is_audited_newest_first_with_who_old_new_and_reason()
    {
        var first = SupervisorRequests.Json("""{"serviceLevelTarget":0.85,"reason":"new contract"}""", "PUT", name: "sue", ifMatch: "\"defaults\"");
        await Function().PutAsync(first, "cards");
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = SupervisorRequests.Json(
            """{"minDwellSeconds":120,"crossSellWindows":[{"days":["monday","friday"],"from":"08:00","to":"24:00"}],"reason":"pilot"}""",
            "PUT", name: "tom", ifMatch: SupervisorRequests.ETag(first));
        var saved = Requests.Body(await Function().PutAsync(second, "cards"));
        Assert.Equal(0.85, saved.GetProperty("serviceLevelTarget").GetDouble()); // fields left out keep their value
        Assert.Equal("24:00", saved.GetProperty("crossSellWindows")[0].GetProperty("to").GetString());

        var audit = Requests.Body(await Audit().RunAsync(SupervisorRequests.Get(), "cards")).GetProperty("entries");
        Assert.Equal(2, audit.GetArrayLength());
        Assert.Equal(("tom", "pilot"), (audit[0].GetProperty("who").GetString(), audit[0].GetProperty("reason").GetString()));
        Assert.Equal(300, audit[0].GetProperty("old").GetProperty("minDwellSeconds").GetDouble());
        Assert.Equal(120, audit[0].GetProperty("new").GetProperty("minDwellSeconds").GetDouble());
        Assert.Equal(("sue", 0.8, 0.85), (audit[1].GetProperty("who").GetString(),
            audit[1].GetProperty("old").GetProperty("serviceLevelTarget").GetDouble(), audit[1].GetProperty("new").GetProperty("serviceLevelTarget").GetDouble()));
        Assert.True(audit[0].GetProperty("at").GetDateTimeOffset() > audit[1].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_saved_change_takes_effect_at_the_next_rebalance()
    {
        var source = new TableQueueSettingsSource(Store, QueueSettings.Default);
        var rebalancer = new QueueRebalancer(Snapshots, Modes, Decisions, source, new ModePolicy(), Time);
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        await rebalancer.RebalanceAsync("cards"); // new agents start service-only and serve their minimum dwell
        Time.Advance(TimeSpan.FromMinutes(6));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        var before = await rebalancer.RebalanceAsync("cards");
        Assert.Equal(4, before.Agents.Count(a => a.Mode == AgentMode.CrossSell)); // no forecast: default reserve of 2 idle agents

        var put = SupervisorRequests.Json("""{"idleReserve":6,"emergencyWaitSeconds":60,"reason":"storm warning"}""", "PUT", ifMatch: "\"defaults\"");
        Assert.Equal(200, Requests.Status(await Function().PutAsync(put, "cards")));
        Assert.Equal(6, (await source.GetAsync("cards")).IdleReserve);
        Assert.Equal(2, (await source.GetAsync("other")).IdleReserve);

        Time.Advance(TimeSpan.FromMinutes(10));
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        var after = await rebalancer.RebalanceAsync("cards");
        Assert.All(after.Agents, a => Assert.Equal(AgentMode.ServiceOnly, a.Mode));
    }

    [Fact]
    public async Task The_volume_against_safety_settings_are_saved_shown_and_read_by_the_policy()
    {
        var defaults = Requests.Body(await Function().GetAsync(SupervisorRequests.Get(), "cards"));
        Assert.Equal(QueueSettings.Default.MaxIntervalDrop, defaults.GetProperty("maxIntervalDrop").GetDouble());
        Assert.Equal(QueueSettings.Default.ForecastUpperWeight, defaults.GetProperty("forecastUpperWeight").GetDouble());

        var put = SupervisorRequests.Json("""{"maxIntervalDrop":0.08,"forecastUpperWeight":0.5,"reason":"more volume on quiet days"}""", "PUT", ifMatch: "\"defaults\"");
        Assert.Equal(200, Requests.Status(await Function().PutAsync(put, "cards")));
        var shown = Requests.Body(await Function().GetAsync(SupervisorRequests.Get(), "cards"));
        Assert.Equal((0.08, 0.5, QueueSettings.Default.MaxServiceLevelDrop),
            (shown.GetProperty("maxIntervalDrop").GetDouble(), shown.GetProperty("forecastUpperWeight").GetDouble(), shown.GetProperty("maxServiceLevelDrop").GetDouble()));

        var policy = await new TableQueueSettingsSource(Store, QueueSettings.Default).GetAsync("cards");
        Assert.Equal((0.08, 0.5), (policy.MaxIntervalDrop, policy.ForecastUpperWeight));
    }

    [Fact]
    public async Task The_forecast_interval_shown_is_the_telephony_one_and_another_is_refused_not_stored_and_ignored()
    {
        var telephony = new TelephonyOptions().IntervalMinutes;
        var shown = Requests.Body(await Function().GetAsync(SupervisorRequests.Get(), "cards"));
        Assert.Equal(telephony, shown.GetProperty("forecastIntervalMinutes").GetInt32());

        var other = telephony == 30 ? 60 : 30;
        var refused = await Function().PutAsync(
            SupervisorRequests.Json($$"""{"forecastIntervalMinutes":{{other}},"reason":"half-hourly like the rota"}""", "PUT", ifMatch: "\"defaults\""), "cards");
        Assert.Equal(400, Requests.Status(refused));
        Assert.Contains("CallBalancer__Telephony__IntervalMinutes",
            Requests.Body(refused).GetProperty("errors").GetProperty("forecastIntervalMinutes")[0].GetString(), StringComparison.Ordinal);
        Assert.Null(await Store.GetSettingsAsync("cards"));

        // The document as shown goes back unchanged, with the interval in it.
        var same = await Function().PutAsync(
            SupervisorRequests.Json($$"""{"forecastIntervalMinutes":{{telephony}},"idleReserve":1,"reason":"quiet day"}""", "PUT", ifMatch: "\"defaults\""), "cards");
        Assert.Equal(200, Requests.Status(same));
        Assert.Equal(telephony, Requests.Body(same).GetProperty("forecastIntervalMinutes").GetInt32());
    }

    [Fact]
    public async Task The_abandonment_cap_is_saved_for_one_queue_and_read_by_the_policy()
    {
        var defaults = Requests.Body(await Function().GetAsync(SupervisorRequests.Get(), "cards"));
        Assert.Equal(QueueSettings.Default.MaxAbandonRate, defaults.GetProperty("maxAbandonRate").GetDouble());

        var put = SupervisorRequests.Json("""{"maxAbandonRate":0.02,"reason":"complaints about hang-ups"}""", "PUT", ifMatch: "\"defaults\"");
        Assert.Equal(200, Requests.Status(await Function().PutAsync(put, "cards")));
        var source = new TableQueueSettingsSource(Store, QueueSettings.Default);
        Assert.Equal(0.02, (await source.GetAsync("cards")).MaxAbandonRate);
        Assert.Equal(QueueSettings.Default.MaxAbandonRate, (await source.GetAsync("other")).MaxAbandonRate);
    }

    [Fact]
    public async Task The_quiet_queue_reserve_is_shown_and_a_supervisor_switches_it_off_for_one_queue()
    {
        var defaults = Requests.Body(await Function().GetAsync(SupervisorRequests.Get(), "cards"));
        Assert.Equal(QueueSettings.Default.OfferHoldQuietMinIdleAgents, defaults.GetProperty("offerHoldQuietMinIdleAgents").GetInt32());
        Assert.Equal(QueueSettings.Default.OfferHoldQuietMinAgents, defaults.GetProperty("offerHoldQuietMinAgents").GetInt32());

        var off = SupervisorRequests.Json("""{"offerHoldQuietMinIdleAgents":3,"reason":"keep the full reserve on this queue"}""", "PUT", ifMatch: "\"defaults\"");
        Assert.Equal(200, Requests.Status(await Function().PutAsync(off, "cards")));
        var policy = await new TableQueueSettingsSource(Store, QueueSettings.Default).GetAsync("cards");
        Assert.Equal(3, policy.OfferHoldQuietMinIdleAgents);
        Assert.Equal(QueueSettings.Default.OfferHoldQuietMinAgents, policy.OfferHoldQuietMinAgents);

        var invalid = SupervisorRequests.Json("""{"offerHoldQuietMinAgents":0,"reason":"typo"}""", "PUT", ifMatch: "\"defaults\"");
        var refused = await Function().PutAsync(invalid, "other");
        Assert.Equal(400, Requests.Status(refused));
        Assert.True(Requests.Body(refused).GetProperty("errors").TryGetProperty("offerHoldQuietMinAgents", out _));
        Assert.Null(await Store.GetSettingsAsync("other"));
    }

    [Fact]
    public async Task The_half_hour_guard_is_shown_saved_for_one_queue_and_refused_out_of_range()
    {
        var defaults = Requests.Body(await Function().GetAsync(SupervisorRequests.Get(), "cards"));
        Assert.Equal(QueueSettings.Default.OfferHoldGuardMargin, defaults.GetProperty("offerHoldGuardMargin").GetDouble());
        Assert.Equal(QueueSettings.Default.OfferHoldGuardMinCalls, defaults.GetProperty("offerHoldGuardMinCalls").GetInt32());

        var stricter = SupervisorRequests.Json("""{"offerHoldGuardMargin":0.1,"offerHoldGuardMinCalls":10,"reason":"protect the peak harder"}""", "PUT", ifMatch: "\"defaults\"");
        Assert.Equal(200, Requests.Status(await Function().PutAsync(stricter, "cards")));
        var policy = await new TableQueueSettingsSource(Store, QueueSettings.Default).GetAsync("cards");
        Assert.Equal((0.1, 10), (policy.OfferHoldGuardMargin, policy.OfferHoldGuardMinCalls));

        var invalid = SupervisorRequests.Json("""{"offerHoldGuardMargin":-0.05,"reason":"typo"}""", "PUT", ifMatch: "\"defaults\"");
        var refused = await Function().PutAsync(invalid, "other");
        Assert.Equal(400, Requests.Status(refused));
        Assert.True(Requests.Body(refused).GetProperty("errors").TryGetProperty("offerHoldGuardMargin", out _));
        Assert.Null(await Store.GetSettingsAsync("other"));
    }
}
