using CallBalancer.Core.Offers;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage.Offers;

namespace CallBalancer.Integration.Tests.Offers;

/// <summary>
/// What one instance remembers (a customer's history, a propensity cell's ETag) is a shortcut that another instance's
/// writes make stale: the decisions must still be those a fresh read gives. Two services on the same tables stand in
/// for two Functions instances.
/// </summary>
public sealed class RememberedStateTests(AzuriteFixture azurite) : OffersTestBase(azurite)
{
    [Fact]
    public async Task An_instance_whose_remembered_history_is_stale_still_keeps_the_contact_limit()
    {
        await AgentsReadyAsync();
        var here = Service();
        var elsewhere = Service();
        var at = Time.GetUtcNow();

        // Here shows offers (and remembers the empty history); elsewhere shows others and records three answers.
        var (_, mine) = await here.RecommendAsync(Agent, "cust-r1", CallReason.General);
        var (_, theirs) = await elsewhere.RecommendAsync(Agent, "cust-r1", CallReason.CardActivation);
        foreach (var offer in theirs.Take(ContactPolicy.Default.MaxOffers))
        {
            Assert.Equal(OutcomeStatus.Recorded, (await elsewhere.RecordOutcomeAsync(offer.OfferId, Agent, "cust-r1", OfferOutcome.Declined, at)).Status);
        }

        var fourth = await here.RecordOutcomeAsync(mine[0].OfferId, Agent, "cust-r1", OfferOutcome.Accepted, at);
        Assert.Equal(OutcomeStatus.Rejected, fourth.Status);
        Assert.Equal("contact-limit", fourth.Decision!.Rejection);
        Assert.Equal(ContactPolicy.Default.MaxOffers, (await Histories.GetHistoryAsync("cust-r1")).History.Records.Count);
    }

    [Fact]
    public async Task An_instance_that_never_saw_an_acceptance_can_still_reverse_it_and_repeats_are_recognised()
    {
        await AgentsReadyAsync();
        var here = Service();
        var elsewhere = Service();
        var at = Time.GetUtcNow();
        var (_, offers) = await here.RecommendAsync(Agent, "cust-r2", CallReason.PromotionEnquiry);

        // The acceptance is recorded elsewhere; here still remembers the history from before it.
        Assert.Equal(OutcomeStatus.Recorded, (await elsewhere.RecordOutcomeAsync(offers[0].OfferId, Agent, "cust-r2", OfferOutcome.Accepted, at)).Status);
        var reversal = await here.RecordOutcomeAsync(offers[0].OfferId, Agent, "cust-r2", OfferOutcome.Reversed, at.AddDays(1));
        Assert.Equal(OutcomeStatus.Recorded, reversal.Status);

        // The same answer again, here and elsewhere, is recognised, not recorded twice nor refused.
        Assert.Equal(OutcomeStatus.AlreadyRecorded, (await here.RecordOutcomeAsync(offers[0].OfferId, Agent, "cust-r2", OfferOutcome.Accepted, at)).Status);
        Assert.Equal(OutcomeStatus.AlreadyRecorded, (await elsewhere.RecordOutcomeAsync(offers[0].OfferId, Agent, "cust-r2", OfferOutcome.Reversed, at.AddDays(1))).Status);
        var entries = await Ledger.GetAsync(Agent, at.AddDays(-1), at.AddDays(2));
        Assert.Equal(2, entries.Count);
        Assert.Equal(0, entries.Sum(e => e.Acceptances));
    }

    [Fact]
    public async Task Answers_counted_by_two_instances_into_one_propensity_cell_are_all_counted()
    {
        var here = new PropensityStore(Tables);
        var elsewhere = new PropensityStore(Tables);
        await here.GetCellAsync(CallReason.General, "gold-new");
        // Eight at once: each loses at most seven races, within the store's ten attempts.
        var tasks = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? here : elsewhere)
            .AddAsync(CallReason.General, "gold-new", "sms-alerts", i % 3 == 0 ? OfferOutcome.Accepted : OfferOutcome.Declined));
        Assert.All(await Task.WhenAll(tasks), Assert.True);
        Assert.True(await here.AddAsync(CallReason.General, "gold-new", "sms-alerts", OfferOutcome.Declined));

        var cell = await new PropensityStore(Tables).GetCellAsync(CallReason.General, "gold-new");
        Assert.Equal(new PropensityCounts(9, 3), cell["sms-alerts"]);
    }
}
