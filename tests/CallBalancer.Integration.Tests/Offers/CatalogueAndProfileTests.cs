using System.Text;
using Azure.Data.Tables;
using CallBalancer.Core.Offers;
using CallBalancer.Functions;
using CallBalancer.Functions.Http;
using CallBalancer.Functions.Offers;
using CallBalancer.Integration.Tests.Console;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using CallBalancer.Storage.Offers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Offers;

public sealed class CatalogueAndProfileTests(AzuriteFixture azurite) : OffersTestBase(azurite)
{
    private ProductsFunction Products(bool trusted = true) =>
        new(new ProductStore(Tables), new CatalogueCache(new ProductStore(Tables), Time, TimeSpan.Zero), Supervisor(trusted),
            Microsoft.Extensions.Options.Options.Create(new RetentionOptions()), Time, NullLogger<ProductsFunction>.Instance);

    private static string ProductJson(int valueWeight, string eligibility = "") =>
        $$"""{"name":"Tier upgrade","category":"card","valueWeight":{{valueWeight}},"difficultyWeight":1,"coolDownDays":30{{eligibility}}}""";

    [Fact]
    public async Task Eligibility_lists_longer_than_a_row_holds_are_refused_by_field_and_nothing_is_saved()
    {
        // 600 ids of 62 characters joined in one property pass the 32K characters the Table service stores: it was a 500.
        var ids = string.Join(",", Enumerable.Range(0, 600).Select(i => $"\"{new string('p', 58)}{i:D4}\""));
        var result = await Products().PutAsync(SupervisorRequests.Json(ProductJson(1, $$""","eligibility":{"exclusiveWith":[{{ids}}]}"""), "PUT"), "big-product");

        Assert.Equal(400, Requests.Status(result));
        Assert.True(Requests.Body(result).GetProperty("errors").TryGetProperty("eligibility.exclusiveWith", out _));
        Assert.Equal(404, Requests.Status(await Products().GetAsync(SupervisorRequests.Get(), "big-product")));
    }

    [Fact]
    public async Task A_product_reweighted_twice_a_day_for_a_year_keeps_only_the_periods_answers_can_still_use()
    {
        // Every period was kept for ever: the 393rd change passed the Table service's property limit and every later
        // PUT was a 500. Periods that ended before the offer-answer window (90 days, + 1) are forgotten.
        Assert.Equal(201, Requests.Status(await Products().PutAsync(SupervisorRequests.Json(ProductJson(1), "PUT"), "loyalty-boost")));
        for (var i = 0; i < 730; i++)
        {
            Time.Advance(TimeSpan.FromHours(12));
            var status = Requests.Status(await Products().PutAsync(SupervisorRequests.Json(ProductJson(1 + ((i + 1) % 2)), "PUT"), "loyalty-boost"));
            Assert.True(status == 200, $"change {i}: {status}");
        }

        var weights = (await new ProductStore(Tables).GetAsync("loyalty-boost"))!.Value.Product.Weights;
        Assert.InRange(weights.Count, 182, 184); // 91 days of two changes a day, and the period in force at the cutoff
        var cutoff = Time.GetUtcNow().AddDays(-91);
        Assert.True(weights.Min(w => w.EffectiveFrom) <= cutoff); // an answer at any instant of the window is still credited
    }

    [Fact]
    public async Task A_product_reweighted_faster_than_its_row_holds_is_refused_with_the_reason_not_a_500()
    {
        Assert.Equal(201, Requests.Status(await Products().PutAsync(SupervisorRequests.Json(ProductJson(1), "PUT"), "loyalty-boost")));
        var statuses = new List<int>(); // a new weight each time, so every PUT is a change, even after a refused one
        for (var i = 0; i < Product.MaxWeightPeriods + 5; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(10));
            var result = await Products().PutAsync(SupervisorRequests.Json(ProductJson(2 + i), "PUT"), "loyalty-boost");
            statuses.Add(Requests.Status(result));
            if (statuses[^1] == 400)
            {
                Assert.Contains("at most 200 periods", Requests.Body(result).GetProperty("errors").GetProperty("valueWeight")[0].GetString(), StringComparison.Ordinal);
            }
        }

        Assert.All(statuses.Take(Product.MaxWeightPeriods - 1), s => Assert.Equal(200, s));
        Assert.All(statuses.Skip(Product.MaxWeightPeriods - 1), s => Assert.Equal(400, s));
        Assert.Equal(Product.MaxWeightPeriods, (await new ProductStore(Tables).GetAsync("loyalty-boost"))!.Value.Product.Weights.Count);
    }


    private CustomerProfileFunction Profiles() => new(new CustomerProfileStore(Tables), Supervisor(), NullLogger<CustomerProfileFunction>.Instance);

    private static HttpRequest Csv(string text)
    {
        var r = Requests.Json(text, "text/csv");
        return WithSupervisor(r);
    }

    [Theory]
    [InlineData("activeFrom", "1500-01-01T00:00:00Z")]
    [InlineData("activeTo", "1600-12-31T23:59:59Z")]
    [InlineData("activeTo", "9999-12-31T23:59:59-01:00")]
    public async Task A_date_the_table_service_cannot_store_is_refused_by_field_and_nothing_is_saved(string field, string value)
    {
        // Dates before 1601 (and past 9999 in UTC) are outside what the Table service stores: the save was a 500.
        var result = await Products().PutAsync(SupervisorRequests.Json(ProductJson(1)[..^1] + $",\"{field}\":\"{value}\"}}", "PUT"), "old-product");

        Assert.Equal(400, Requests.Status(result));
        Assert.True(Requests.Body(result).GetProperty("errors").TryGetProperty(field, out _), Requests.Body(result).ToString());
        Assert.Equal(404, Requests.Status(await Products().GetAsync(SupervisorRequests.Get(), "old-product")));
    }

    [Fact]
    public async Task Every_catalogue_edit_is_audited_with_who_before_after_and_why_and_a_refused_one_is_not()
    {
        // A weight change moves agents' credit, yet the catalogue kept no record of who made it or why.
        Assert.Equal(201, Requests.Status(await Products().PutAsync(
            SupervisorRequests.Json(ProductJson(2)[..^1] + ",\"reason\":\"autumn launch\"}", "PUT", name: "sue"), "cashback-plus")));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(200, Requests.Status(await Products().PutAsync(
            SupervisorRequests.Json(ProductJson(5)[..^1] + ",\"reason\":\"Q4 push\"}", "PUT", name: "max"), "cashback-plus")));
        Assert.Equal(400, Requests.Status(await Products().PutAsync(
            SupervisorRequests.Json(ProductJson(-1)[..^1] + ",\"reason\":\"typo\"}", "PUT", name: "max"), "cashback-plus")));
        Assert.Equal(400, Requests.Status(await Products().PutAsync(
            SupervisorRequests.Json(ProductJson(3)[..^1] + $",\"reason\":\"{new string('x', 501)}\"}}", "PUT"), "cashback-plus")));

        var audit = await Products().AuditAsync(SupervisorRequests.Get());
        Assert.Equal(200, Requests.Status(audit));
        var entries = Requests.Body(audit).GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        var (latest, first) = (entries[0], entries[1]);
        Assert.Equal(("product", "cashback-plus", "max", "Q4 push"),
            (latest.GetProperty("kind").GetString(), latest.GetProperty("subject").GetString(), latest.GetProperty("who").GetString(), latest.GetProperty("reason").GetString()));
        Assert.Equal(2, latest.GetProperty("old").GetProperty("valueWeight").GetDouble());
        Assert.Equal(5, latest.GetProperty("new").GetProperty("valueWeight").GetDouble());
        Assert.InRange((Time.GetUtcNow() - latest.GetProperty("at").GetDateTimeOffset()).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.Equal(("sue", "autumn launch", System.Text.Json.JsonValueKind.Null),
            (first.GetProperty("who").GetString(), first.GetProperty("reason").GetString(), first.GetProperty("old").ValueKind));
        Assert.Equal(2, first.GetProperty("new").GetProperty("valueWeight").GetDouble());

        // A page at a time: the newest, then the rest.
        var page = Requests.Body(await Products().AuditAsync(SupervisorRequests.Get(query: "?take=1")));
        Assert.Equal("Q4 push", page.GetProperty("entries")[0].GetProperty("reason").GetString());
        var next = Requests.Body(await Products().AuditAsync(SupervisorRequests.Get(query: "?take=1&continuation=" + Uri.EscapeDataString(page.GetProperty("continuation").GetString()!))));
        Assert.Equal("autumn launch", next.GetProperty("entries")[0].GetProperty("reason").GetString());
        Assert.Equal(400, Requests.Status(await Products().AuditAsync(SupervisorRequests.Get(query: "?continuation=cashback-plus"))));

        // The records share the catalogue's partition but are never read as products.
        Assert.Equal(9, Requests.Body(await Products().ListAsync(SupervisorRequests.Get())).GetProperty("products").GetArrayLength());
        Assert.Equal(SeedIds("cashback-plus"), (await new ProductStore(Tables).GetAllAsync()).Select(p => p.ProductId).Order(StringComparer.Ordinal));

        Assert.Equal(401, Requests.Status(await Products().AuditAsync(Requests.Get())));
        Assert.Equal(403, Requests.Status(await Products().AuditAsync(SupervisorRequests.Get(role: "agent"))));
    }

    [Fact]
    public async Task The_catalogue_is_seeded_and_only_a_trusted_supervisor_may_read_or_change_it()
    {
        var list = await Products().ListAsync(WithSupervisor(Requests.Get()));
        Assert.Equal(200, Requests.Status(list));
        Assert.Equal(8, Requests.Body(list).GetProperty("products").GetArrayLength());

        Assert.Equal(401, Requests.Status(await Products().ListAsync(Requests.Get())));
        Assert.Equal(401, Requests.Status(await Products(trusted: false).ListAsync(WithSupervisor(Requests.Get()))));
        var agentOnly = Requests.Get();
        agentOnly.Headers[SupervisorPrincipal.HeaderName] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"userDetails\":\"al@contoso.com\",\"userRoles\":[\"agent\"]}"));
        Assert.Equal(403, Requests.Status(await Products().ListAsync(agentOnly)));
        var userRoles = Requests.Get();
        userRoles.Headers[SupervisorPrincipal.HeaderName] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"userDetails\":\"sue@contoso.com\",\"userRoles\":[\"anonymous\",\"supervisor\"]}"));
        Assert.Equal(200, Requests.Status(await Products().ListAsync(userRoles)));
    }

    private async Task<List<TableEntity>> StoredRowsAsync()
    {
        var table = await Tables.GetAsync(Tables.Names.Products);
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>())
        {
            rows.Add(e);
        }

        return rows;
    }

    /// <summary>The product rows: every row but the catalogue's audit records (RowKey <c>~audit_...</c>).</summary>
    private async Task<List<TableEntity>> StoredProductsAsync() =>
        (await StoredRowsAsync()).Where(e => !e.RowKey.StartsWith("~audit_", StringComparison.Ordinal)).ToList();

    private AuditEntry Edit(string productId) => new("product", productId, "test", Time.GetUtcNow(), null, "{}", "test edit");

    private static IEnumerable<string> SeedIds(params string[] more) => SeedCatalogue.Products.Select(p => p.ProductId).Concat(more).Order(StringComparer.Ordinal);

    [Fact]
    public async Task Reads_and_refused_edits_of_an_empty_catalogue_write_nothing_and_the_first_save_stores_the_seed_with_it()
    {
        // Found by `callbalancer fuzz --seed 4`: a GET of an unknown product, the first request of a fresh store,
        // seeded the catalogue and then answered 404.
        Assert.Equal(404, Requests.Status(await Products().GetAsync(WithSupervisor(Requests.Get()), "no-such-product")));
        var list = await Products().ListAsync(WithSupervisor(Requests.Get()));
        Assert.Equal(SeedIds(), Requests.Body(list).GetProperty("products").EnumerateArray().Select(p => p.GetProperty("productId").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(200, Requests.Status(await Products().GetAsync(WithSupervisor(Requests.Get()), "tier-upgrade")));
        var refused = await Products().PutAsync(WithSupervisor(Requests.Json("""{"name":"","valueWeight":-1}""", method: "PUT")), "tier-upgrade");
        Assert.Equal(400, Requests.Status(refused));
        Assert.Empty(await StoredRowsAsync());

        const string Body = """
            {"name":"Upgrade to the next card tier","category":"card","valueWeight":9,"difficultyWeight":1.5,"coolDownDays":90,
             "eligibility":{"cardTiers":["classic","gold"],"minimumTenureMonths":6}}
            """;
        Assert.Equal(200, Requests.Status(await Products().PutAsync(WithSupervisor(Requests.Json(Body, method: "PUT")), "tier-upgrade")));
        Assert.Equal(SeedIds(), (await StoredProductsAsync()).Select(e => e.RowKey).Order(StringComparer.Ordinal));
        var saved = await new ProductStore(Tables).GetAsync("tier-upgrade");
        Assert.Equal(9, saved!.Value.Product.Weights[^1].ValueWeight);
        Assert.NotEqual(default, saved.Value.ETag);
    }

    [Fact]
    public async Task A_new_product_saved_into_an_empty_catalogue_comes_with_the_seed()
    {
        const string Body = """{"name":"Cashback booster","category":"card","valueWeight":2,"difficultyWeight":1,"coolDownDays":30}""";
        Assert.Equal(201, Requests.Status(await Products().PutAsync(WithSupervisor(Requests.Json(Body, method: "PUT")), "cashback")));
        Assert.Equal(SeedIds("cashback"), (await StoredProductsAsync()).Select(e => e.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_edit_read_from_the_seed_loses_to_a_save_that_stored_the_catalogue_first_and_applies_on_a_re_read()
    {
        var store = new ProductStore(Tables);
        var read = await store.GetAsync("sms-alerts");
        Assert.Equal(default, read!.Value.ETag);

        // Another supervisor's first save stores the catalogue in between.
        var other = await store.GetAsync("e-statement");
        Assert.True(await store.SaveAsync(other!.Value.Product with { CoolDownDays = 45 }, other.Value.ETag, Edit("e-statement")));
        Assert.False(await store.SaveAsync(read.Value.Product with { CoolDownDays = 7 }, read.Value.ETag, Edit("sms-alerts")));
        Assert.Equal(read.Value.Product.CoolDownDays, (await store.GetAsync("sms-alerts"))!.Value.Product.CoolDownDays);

        var again = await store.GetAsync("sms-alerts");
        Assert.True(await store.SaveAsync(again!.Value.Product with { CoolDownDays = 7 }, again.Value.ETag, Edit("sms-alerts")));
        Assert.Equal(7, (await store.GetAsync("sms-alerts"))!.Value.Product.CoolDownDays);
        Assert.Equal(45, (await store.GetAsync("e-statement"))!.Value.Product.CoolDownDays);
        Assert.Equal(SeedIds(), (await StoredProductsAsync()).Select(e => e.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal(["e-statement", "sms-alerts"], (await store.ListAuditAsync(10)).Select(a => a.Subject).Order(StringComparer.Ordinal)); // the lost save wrote no record

    }

    [Fact]
    public async Task A_weight_change_applies_from_its_effective_date_and_cannot_be_back_dated()
    {
        var from = Time.GetUtcNow().AddDays(7);
        var body = $$"""
            {"name":"Upgrade to the next card tier","category":"card","valueWeight":10,"difficultyWeight":2,"weightsEffectiveFrom":"{{from:O}}",
             "eligibility":{"cardTiers":["classic","gold"],"minimumTenureMonths":6},"coolDownDays":90}
            """;
        var put = await Products().PutAsync(WithSupervisor(Requests.Json(body, method: "PUT")), "tier-upgrade");
        Assert.Equal(200, Requests.Status(put));
        var saved = Requests.Body(put);
        Assert.Equal(8, saved.GetProperty("valueWeight").GetDouble());
        Assert.Equal(2, saved.GetProperty("weights").GetArrayLength());

        var stored = await new ProductStore(Tables).GetAsync("tier-upgrade");
        Assert.Equal(12, stored!.Value.Product.WeightsAt(from.AddSeconds(-1)).Credit);
        Assert.Equal(20, stored.Value.Product.WeightsAt(from).Credit);

        var backDated = body.Replace(from.ToString("O"), Time.GetUtcNow().AddDays(-1).ToString("O"), StringComparison.Ordinal);
        var refused = await Products().PutAsync(WithSupervisor(Requests.Json(backDated, method: "PUT")), "tier-upgrade");
        Assert.Equal(400, Requests.Status(refused));
        Assert.True(Requests.Body(refused).GetProperty("errors").TryGetProperty("weightsEffectiveFrom", out _));

        var created = await Products().PutAsync(WithSupervisor(Requests.Json(
            """{"name":"Cashback booster","category":"card","valueWeight":2,"difficultyWeight":1,"coolDownDays":30,"eligibility":{"cardTiers":["diamond"]}}""", method: "PUT")), "cashback");
        Assert.Equal(400, Requests.Status(created));
        Assert.True(Requests.Body(created).GetProperty("errors").TryGetProperty("eligibility.cardTiers[0]", out _));
    }

    [Fact]
    public async Task A_weight_change_takes_effect_no_sooner_than_every_instance_and_answer_can_see_it_and_credits_follow_it()
    {
        await AgentsReadyAsync();
        var lead = OfferOutcomeFunction.FutureTolerance; // this function's catalogue cache keeps nothing (lifetime zero)
        var now = Time.GetUtcNow();
        const string Body = """{"name":"Instalment plan","category":"credit","valueWeight":20,"difficultyWeight":1,"coolDownDays":60""";

        var tooSoon = await Products().PutAsync(WithSupervisor(Requests.Json(Body + $",\"weightsEffectiveFrom\":\"{now.AddMinutes(1):O}\"}}", method: "PUT")), "instalment-plan");
        Assert.Equal(400, Requests.Status(tooSoon));
        Assert.True(Requests.Body(tooSoon).GetProperty("errors").TryGetProperty("weightsEffectiveFrom", out _));

        // Without a date the change takes effect at the earliest instant allowed.
        Assert.Equal(200, Requests.Status(await Products().PutAsync(WithSupervisor(Requests.Json(Body + "}", method: "PUT")), "instalment-plan")));
        var product = (await new ProductStore(Tables).GetAsync("instalment-plan"))!.Value.Product;
        var before = product.WeightsAt(now + lead - TimeSpan.FromTicks(1)).Credit;
        Assert.Equal(20, product.WeightsAt(now + lead).Credit);
        Assert.NotEqual(20, before);

        // Answers are credited by the weights in force at their occurredAt, whenever they are recorded.
        var offers = (await OffersAsync("cust-w1", "bill-enquiry")).GetProperty("offers").EnumerateArray()
            .Concat((await OffersAsync("cust-w2", "bill-enquiry")).GetProperty("offers").EnumerateArray())
            .Where(o => o.GetProperty("productId").GetString() == "instalment-plan").Select(o => o.GetProperty("offerId").GetString()!).ToList();
        Assert.Equal(2, offers.Count);
        Time.Advance(lead + TimeSpan.FromMinutes(1));
        var early = Requests.Body(await PostOutcomeAsync(offers[0], "accepted", "cust-w1", now.AddMinutes(1)));
        var late = Requests.Body(await PostOutcomeAsync(offers[1], "accepted", "cust-w2", now + lead + TimeSpan.FromSeconds(30)));
        Assert.Equal(before, early.GetProperty("credit").GetDouble());
        Assert.Equal(20, late.GetProperty("credit").GetDouble());
    }

    [Fact]
    public async Task Profiles_load_by_json_and_csv_and_a_bad_file_stores_nothing()
    {
        var json = await Profiles().PutAsync(WithSupervisor(Requests.Json(
            """{"tier":"gold","tenureMonths":30,"holdings":["e-statement"],"monthlySpending":{"travel":400}}""", method: "PUT")), "c-100");
        Assert.Equal(200, Requests.Status(json));
        var withName = await Profiles().PutAsync(WithSupervisor(Requests.Json("""{"tier":"gold","tenureMonths":30,"name":"Jane"}""", method: "PUT")), "c-101");
        Assert.Equal(400, Requests.Status(withName));

        var bad = await Profiles().ImportAsync(Csv("customerId,tier,tenureMonths,holdings,monthlySpending\nc-200,gold,12,,travel:10\nc-201,diamond,5,,\n"));
        Assert.Equal(400, Requests.Status(bad));
        Assert.True(Requests.Body(bad).GetProperty("errors").TryGetProperty("line 3: tier", out _));
        Assert.Null(await new CustomerProfileStore(Tables).GetAsync("c-200"));

        var good = await Profiles().ImportAsync(Csv("customerId,tier,tenureMonths,holdings,monthlySpending\nc-200,gold,12,sms-alerts,travel:10;dining:5\nc-201,platinum,80,,\n"));
        Assert.Equal(200, Requests.Status(good));
        Assert.Equal(2, Requests.Body(good).GetProperty("imported").GetInt32());
        var p = await new CustomerProfileStore(Tables).GetAsync("c-200");
        Assert.Equal(Core.Offers.CardTier.Gold, p!.Tier);
        Assert.Contains("sms-alerts", p.Holdings);
        Assert.Equal(10, p.MonthlySpending["travel"]);

        await AgentsReadyAsync();
        var offers = await OffersAsync("c-200", "promotion-enquiry");
        Assert.Equal("gold-established", offers.GetProperty("segment").GetString());
        Assert.Equal("tier-upgrade", offers.GetProperty("offers")[0].GetProperty("productId").GetString());
        Assert.DoesNotContain(offers.GetProperty("offers").EnumerateArray(), o => o.GetProperty("productId").GetString() == "sms-alerts");
    }
}
