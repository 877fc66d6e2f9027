using CallBalancer.Core.Offers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Offers;

public sealed class OfferRecommenderTests
{
    private static readonly DateTimeOffset Now = OfferGen.Now;
    private static readonly Dictionary<string, PropensityCounts> NoData = new(StringComparer.Ordinal);
    private readonly OfferRecommender _recommender = new(ContactPolicy.Default, PropensityModel.Default);

    private static CustomerProfile Customer(CardTier tier, int tenure, string[] holdings, params string[] spending) =>
        new("c42", tier, tenure, holdings.ToHashSet(StringComparer.Ordinal), spending.ToDictionary(s => s, _ => 300.0, StringComparer.Ordinal));

    /// <summary>An oracle written from the catalogue rules, independent of the recommender's own check.</summary>
    private static bool MayBeOffered(Product p, CustomerProfile c, ContactHistory h)
    {
        var taken = c.Holdings.Concat(h.Records.Where(r => r.Outcome == OfferOutcome.Accepted && r.ReversedAt is null).Select(r => r.ProductId)).ToHashSet();
        var lastRest = h.Records.Where(r => r.ProductId == p.ProductId)
            .Select(r => r.Outcome is OfferOutcome.Declined or OfferOutcome.NotInterested ? r.OccurredAt : r.ReversedAt)
            .Where(t => t is not null).Max();
        return !taken.Contains(p.ProductId)
            && (p.Eligibility.CardTiers.Count == 0 || p.Eligibility.CardTiers.Contains(c.Tier))
            && c.TenureMonths >= p.Eligibility.MinimumTenureMonths
            && (p.Eligibility.SpendingCategories.Count == 0 || p.Eligibility.SpendingCategories.Any(s => c.MonthlySpending.GetValueOrDefault(s) > 0))
            && !p.Eligibility.ExclusiveWith.Any(taken.Contains)
            && (lastRest is null || lastRest.Value.AddDays(p.CoolDownDays) <= Now)
            && h.OptedOutAt is null;
    }

    [Property(MaxTest = 500)]
    public Property Never_more_than_five_never_an_excluded_product_and_at_least_three_when_three_may_be_offered(
        byte tier, byte tenure, byte holdings, byte spending, byte[] history, byte reasonCode)
    {
        var profile = OfferGen.Profile(tier, tenure, holdings, spending);
        var h = OfferGen.History(history ?? [], allowOptOut: true);
        var reason = (CallReason)(reasonCode % 9);
        var result = _recommender.Recommend(profile, h, reason, OfferGen.Catalogue, NoData, Now);

        var allowed = OfferGen.Catalogue.Where(p => MayBeOffered(p, profile, h)).ToList();
        var limitReached = !ContactPolicy.Default.CanRecordAt(h.Records.Select(r => r.OccurredAt), Now);
        var noOfferReason = reason is CallReason.Complaint or CallReason.FraudReport or CallReason.LostCard or CallReason.Bereavement;
        var expectedAtLeast = noOfferReason || limitReached ? 0 : Math.Min(3, allowed.Count);
        var byName = result.Offers.Select(o => o.ProductId).ToList();

        return (result.Offers.Count <= 5).Label("at most 5")
            .And(byName.All(id => allowed.Any(p => p.ProductId == id)).Label("only allowed products"))
            .And((result.Offers.Count >= expectedAtLeast).Label($"at least {expectedAtLeast}"))
            .And((byName.Distinct().Count() == byName.Count).Label("no duplicates"))
            .And((!noOfferReason || result.Offers.Count == 0).Label("no offer on a complaint-type call"))
            .And((result.Offers.Count > 0 || result.NoOfferReason is not null).Label("an empty list says why"))
            .And(result.Offers.Zip(result.Offers.Skip(1)).All(p => p.First.Score >= p.Second.Score).Label("ranked by score"));
    }

    [Fact]
    public void A_promotion_enquiry_puts_the_tier_upgrade_first()
    {
        var r = _recommender.Recommend(Customer(CardTier.Gold, 30, []), ContactHistory.Empty, CallReason.PromotionEnquiry, OfferGen.Catalogue, NoData, Now);
        Assert.Equal("tier-upgrade", r.Offers[0].ProductId);
        Assert.InRange(r.Offers.Count, 3, 5);
        Assert.Contains("promotions", r.Offers[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bill_enquiry_puts_the_instalment_plan_first()
    {
        var r = _recommender.Recommend(Customer(CardTier.Classic, 24, [], "retail"), ContactHistory.Empty, CallReason.BillEnquiry, OfferGen.Catalogue, NoData, Now);
        Assert.Equal("instalment-plan", r.Offers[0].ProductId);
        Assert.Contains("retail", r.Offers[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void An_activation_puts_e_statements_or_sms_alerts_first_and_a_held_one_is_left_out()
    {
        var r = _recommender.Recommend(Customer(CardTier.Classic, 2, ["sms-alerts"]), ContactHistory.Empty, CallReason.CardActivation, OfferGen.Catalogue, NoData, Now);
        Assert.Equal("e-statement", r.Offers[0].ProductId);
        Assert.DoesNotContain(r.Offers, o => o.ProductId == "sms-alerts");
    }

    [Theory]
    [InlineData(CallReason.Complaint, "Complaint")]
    [InlineData(CallReason.FraudReport, "Fraud")]
    [InlineData(CallReason.LostCard, "Lost card")]
    [InlineData(CallReason.Bereavement, "Bereavement")]
    public void No_offer_on_calls_where_selling_would_hurt(CallReason reason, string said)
    {
        var r = _recommender.Recommend(Customer(CardTier.Gold, 30, []), ContactHistory.Empty, reason, OfferGen.Catalogue, NoData, Now);
        Assert.Empty(r.Offers);
        Assert.Contains(said, r.NoOfferReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_customer_gets_the_offers_open_to_everyone()
    {
        var r = _recommender.Recommend(CustomerProfile.Generic("anon-7"), ContactHistory.Empty, CallReason.General, OfferGen.Catalogue, NoData, Now);
        Assert.Equal("unknown", r.Segment);
        Assert.Equal(["e-statement", "sms-alerts", "supplementary-card"], r.Offers.Select(o => o.ProductId).Order().ToArray());
    }

    [Fact]
    public void A_declined_product_rests_for_its_cool_down_then_comes_back()
    {
        var customer = Customer(CardTier.Gold, 30, []);
        var declined = new ContactHistory([new ContactRecord("o1", "tier-upgrade", "a1", OfferOutcome.Declined, Now.AddDays(-89), 0)], null);
        var during = _recommender.Recommend(customer, declined, CallReason.PromotionEnquiry, OfferGen.Catalogue, NoData, Now);
        var after = _recommender.Recommend(customer, declined, CallReason.PromotionEnquiry, OfferGen.Catalogue, NoData, Now.AddDays(2));
        Assert.DoesNotContain(during.Offers, o => o.ProductId == "tier-upgrade");
        Assert.Equal("tier-upgrade", after.Offers[0].ProductId);
    }

    [Fact]
    public void A_product_exclusive_with_a_holding_is_not_offered()
    {
        var r = _recommender.Recommend(Customer(CardTier.Gold, 30, ["instalment-plan"], "retail"), ContactHistory.Empty, CallReason.BillEnquiry, OfferGen.Catalogue, NoData, Now);
        Assert.DoesNotContain(r.Offers, o => o.ProductId is "balance-transfer" or "instalment-plan");
    }

    [Fact]
    public void At_the_contact_limit_there_is_no_offer_and_the_answer_says_why()
    {
        var three = new ContactHistory(Enumerable.Range(0, 3)
            .Select(i => new ContactRecord($"o{i}", "e-statement", "a1", OfferOutcome.Declined, Now.AddDays(-10 * i), 0)).ToList(), null);
        var r = _recommender.Recommend(Customer(CardTier.Gold, 30, []), three, CallReason.PromotionEnquiry, OfferGen.Catalogue, NoData, Now);
        Assert.Empty(r.Offers);
        Assert.Contains("Contact limit", r.NoOfferReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Learned_acceptances_move_a_product_up_the_ranking()
    {
        var customer = Customer(CardTier.Gold, 30, []);
        var before = _recommender.Recommend(customer, ContactHistory.Empty, CallReason.General, OfferGen.Catalogue, NoData, Now);
        Assert.NotEqual("supplementary-card", before.Offers[0].ProductId);
        var learned = new Dictionary<string, PropensityCounts>(StringComparer.Ordinal) { ["supplementary-card"] = new(200, 120) };
        var after = _recommender.Recommend(customer, ContactHistory.Empty, CallReason.General, OfferGen.Catalogue, learned, Now);
        Assert.Equal("supplementary-card", after.Offers[0].ProductId);
        Assert.Contains("120 of 200", after.Offers[0].Why, StringComparison.Ordinal);
    }
}
