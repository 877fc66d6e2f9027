using System.Text.Json;
using CallBalancer.Core.Offers;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage.Offers;
using Microsoft.AspNetCore.Mvc;

namespace CallBalancer.Integration.Tests.Offers;

/// <summary>
/// Answers the outcome endpoint used to take, found in a review on 2026-12-03 (on Azurite): two recommendations open
/// at once, a backdated answer, a product new to another instance, a long-standing customer, a time without offset.
/// </summary>
public sealed class AnswerRulesTests(AzuriteFixture azurite) : OffersTestBase(azurite)
{
    private static List<string> Ids(JsonElement body) =>
        body.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("offerId").GetString()!).ToList();

    private static string Code(IActionResult result) =>
        ((ProblemDetails)((ObjectResult)result).Value!).Extensions["code"]!.ToString()!;

    [Fact]
    public async Task An_answer_stamped_before_its_offer_was_shown_is_refused_and_writes_nothing()
    {
        await AgentsReadyAsync();
        var a = Ids(await OffersAsync("cust-bd", "general"));
        var b = Ids(await OffersAsync("cust-bd", "card-activation"));
        var now = Time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, Requests.Status(await PostOutcomeAsync(a[i], "declined", "cust-bd", now)));
        }

        var backdated = await PostOutcomeAsync(b[0], "accepted", "cust-bd", now.AddDays(-31));

        Assert.Equal(422, Requests.Status(backdated));
        Assert.Equal("before-offer", Code(backdated));
        Assert.Equal(3, (await Histories.GetHistoryAsync("cust-bd")).History.Records.Count);
        Assert.Equal(3, (await Ledger.GetAsync(Agent, now.AddDays(-40), now.AddDays(1))).Count);
    }

    [Fact]
    public async Task One_product_is_not_accepted_and_credited_twice_through_two_recommendations()
    {
        await AgentsReadyAsync();
        var first = (await OffersAsync("cust-dup", "promotion-enquiry")).GetProperty("offers")[0];
        var second = (await OffersAsync("cust-dup", "promotion-enquiry")).GetProperty("offers")[0];
        Assert.Equal(first.GetProperty("productId").GetString(), second.GetProperty("productId").GetString());
        var now = Time.GetUtcNow();

        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(first.GetProperty("offerId").GetString()!, "accepted", "cust-dup", now)));
        var again = await PostOutcomeAsync(second.GetProperty("offerId").GetString()!, "accepted", "cust-dup", now.AddMinutes(1));

        Assert.Equal(409, Requests.Status(again));
        Assert.Equal("product-held", Code(again));
        var entries = await Ledger.GetAsync(Agent, now.AddDays(-1), now.AddDays(1));
        Assert.Equal(1, entries.Sum(e => e.Acceptances));
    }

    [Theory]
    [InlineData("declined", "declined", "cool-down")]
    [InlineData("do-not-offer-again", "accepted", "opted-out")]
    public async Task An_answer_the_first_answer_rules_out_is_refused_on_the_other_recommendation(string firstAnswer, string secondAnswer, string code)
    {
        await AgentsReadyAsync();
        var first = Ids(await OffersAsync("cust-two", "promotion-enquiry"));
        var second = Ids(await OffersAsync("cust-two", "promotion-enquiry"));
        var now = Time.GetUtcNow();

        Assert.Equal(200, Requests.Status(await PostOutcomeAsync(first[0], firstAnswer, "cust-two", now)));
        var refused = await PostOutcomeAsync(second[0], secondAnswer, "cust-two", now.AddMinutes(1));

        Assert.Equal(409, Requests.Status(refused));
        Assert.Equal(code, Code(refused));
        Assert.Single((await Histories.GetHistoryAsync("cust-two")).History.Records);
    }

    [Fact]
    public async Task An_answer_to_a_product_new_to_this_instance_is_recorded_after_reading_the_catalogue_again()
    {
        await AgentsReadyAsync();
        var elsewhere = Service();
        await elsewhere.RecommendAsync(Agent, "cust-warm", CallReason.General); // caches the seed catalogue
        var created = new Product("cashback", "Cashback booster", "card", [new ProductWeights(Time.GetUtcNow(), 50, 1)], ProductEligibility.Anyone, 30, null, null);
        Assert.True(await new ProductStore(Tables).SaveAsync(created, null, new CallBalancer.Storage.AuditEntry("product", created.ProductId, "test", Time.GetUtcNow(), null, "{}", "test")));

        var (_, shown) = await Service().RecommendAsync(Agent, "cust-np", CallReason.General);
        var offer = shown.First(o => o.ProductId == "cashback");
        var result = await elsewhere.RecordOutcomeAsync(offer.OfferId, Agent, "cust-np", OfferOutcome.Accepted, Time.GetUtcNow());

        Assert.Equal(OutcomeStatus.Recorded, result.Status);
        Assert.Equal(50, result.Decision!.Entry!.Credit);
    }

    [Fact]
    public async Task A_long_standing_customers_history_of_200_answers_is_saved_and_read_back()
    {
        // 3 answers a month for 5.5 years: past the 32K characters of one string property (about 150 answers).
        var start = Time.GetUtcNow().AddDays(-2000);
        var records = Enumerable.Range(0, 200).Select(i => new ContactRecord(
            $"r{i:D4}.0", "credit-limit-increase", "cards-agent0001", OfferOutcome.NotInterested, start.AddDays(i * 10), 0)).ToList();
        Assert.True(await Histories.TrySaveHistoryAsync("cust-long", new ContactHistory(records.Take(150).ToList(), null), null));
        var (_, etag) = await Histories.GetHistoryAsync("cust-long");

        Assert.True(await Histories.TrySaveHistoryAsync("cust-long", new ContactHistory(records, start), etag));

        var (read, _) = await new ContactHistoryStore(Tables).GetHistoryAsync("cust-long"); // a fresh instance: from storage
        Assert.Equal(records.Select(r => (r.OfferId, r.OccurredAt)), read.Records.Select(r => (r.OfferId, r.OccurredAt)));
        Assert.Equal(start, read.OptedOutAt);
    }

    [Fact]
    public async Task An_answer_time_without_an_offset_is_refused()
    {
        await AgentsReadyAsync();
        var offerId = Ids(await OffersAsync("cust-tz", "promotion-enquiry"))[0];
        var local = Time.GetUtcNow().AddHours(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        var result = await OutcomeFunction().RunAsync(Requests.Json(
            $"{{\"outcome\":\"declined\",\"agentId\":\"{Agent}\",\"customerId\":\"cust-tz\",\"occurredAt\":\"{local}\"}}"), offerId);

        Assert.Equal(400, Requests.Status(result));
        Assert.Empty((await Histories.GetHistoryAsync("cust-tz")).History.Records);
    }
}
