using CallBalancer.Core.Offers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Offers;

/// <summary>
/// The recommender's over-marketing rules judged again when an answer is recorded, under the history's ETag: two
/// recommendations can be open at once (overlapping calls, a desktop that asks twice), each shown before the other's
/// answer. Found in a review on 2026-12-03: each of these answers used to be recorded.
/// </summary>
public sealed class OverMarketingAtRecordTests
{
    private static readonly DateTimeOffset T0 = OfferGen.Now;
    private static readonly Product Upgrade = SeedCatalogue.Products.First(p => p.CoolDownDays > 1);

    private static OutcomeDecision Answer(ContactHistory h, string offerId, OfferOutcome outcome, DateTimeOffset at, Product? product = null, DateTimeOffset? shownAt = null) =>
        OutcomeRecorder.Decide(h, new OutcomeCommand(offerId, product ?? Upgrade, "a1", "c1", outcome, at) { ShownAt = shownAt }, ContactPolicy.Default);

    private static ContactHistory After(ContactHistory h, string offerId, OfferOutcome outcome, DateTimeOffset at, Product? product = null)
    {
        var d = Answer(h, offerId, outcome, at, product);
        Assert.Equal(OutcomeDecisionKind.Recorded, d.Kind);
        return d.History;
    }

    [Fact]
    public void An_answer_stamped_before_its_offer_was_shown_is_refused_beyond_the_clock_skew()
    {
        // Three declines now; the fourth, stamped 31 days back, used to land in an empty window of the contact limit.
        var h = ContactHistory.Empty;
        var others = SeedCatalogue.Products.Where(p => p.ProductId != Upgrade.ProductId).Take(3).ToList();
        for (var i = 0; i < 3; i++)
        {
            h = After(h, $"a.{i}", OfferOutcome.Declined, T0, others[i]);
        }

        var backdated = Answer(h, "b.0", OfferOutcome.Accepted, T0.AddDays(-31), shownAt: T0);
        Assert.Equal(("before-offer", OutcomeDecisionKind.Rejected), (backdated.Rejection, backdated.Kind));
        Assert.Same(h, backdated.History);

        // Within the skew a desktop clock may run behind: judged as usual (here, by the contact limit).
        Assert.Equal("contact-limit", Answer(h, "b.0", OfferOutcome.Accepted, T0.AddMinutes(-4), shownAt: T0).Rejection);
        Assert.Equal(OutcomeDecisionKind.Recorded, Answer(ContactHistory.Empty, "b.0", OfferOutcome.Accepted, T0.AddMinutes(-4), shownAt: T0).Kind);
    }

    [Fact]
    public void Nothing_is_recorded_after_an_opt_out_but_an_answer_from_before_it_is()
    {
        var other = SeedCatalogue.Products.First(p => p.ProductId != Upgrade.ProductId);
        var h = After(ContactHistory.Empty, "a.0", OfferOutcome.DoNotOfferAgain, T0, other);

        Assert.Equal("opted-out", Answer(h, "b.1", OfferOutcome.Accepted, T0.AddMinutes(1)).Rejection);
        Assert.Equal("opted-out", Answer(h, "b.2", OfferOutcome.DoNotOfferAgain, T0.AddMinutes(1)).Rejection);
        Assert.Equal(OutcomeDecisionKind.Recorded, Answer(h, "b.1", OfferOutcome.Accepted, T0.AddMinutes(-10)).Kind);

        // A late opt-out stamped earlier moves the opt-out to its time.
        var earlier = Answer(h, "b.3", OfferOutcome.DoNotOfferAgain, T0.AddMinutes(-20));
        Assert.Equal(T0.AddMinutes(-20), earlier.History.OptedOutAt);
    }

    [Fact]
    public void A_product_accepted_once_is_not_accepted_or_answered_again_while_held()
    {
        var h = After(ContactHistory.Empty, "a.0", OfferOutcome.Accepted, T0);

        Assert.Equal("product-held", Answer(h, "b.0", OfferOutcome.Accepted, T0.AddMinutes(1)).Rejection);
        Assert.Equal("product-held", Answer(h, "b.0", OfferOutcome.Accepted, T0.AddMinutes(-1)).Rejection); // credited twice either way
        Assert.Equal("product-held", Answer(h, "b.0", OfferOutcome.Declined, T0.AddMinutes(1)).Rejection);
        Assert.Equal(OutcomeDecisionKind.Recorded, Answer(h, "b.0", OfferOutcome.Declined, T0.AddMinutes(-1)).Kind); // a late answer from before

        // Once reversed, the product is no longer held (its cool-down applies instead).
        var reversed = After(h, "a.0", OfferOutcome.Reversed, T0.AddDays(1));
        Assert.Equal("cool-down", Answer(reversed, "c.0", OfferOutcome.Accepted, T0.AddDays(2)).Rejection);
        Assert.Equal(OutcomeDecisionKind.Recorded, Answer(reversed, "c.0", OfferOutcome.Accepted, T0.AddDays(1 + Upgrade.CoolDownDays)).Kind);
    }

    [Fact]
    public void A_product_in_its_cool_down_is_not_recorded_again_until_it_ends()
    {
        var h = After(ContactHistory.Empty, "a.0", OfferOutcome.Declined, T0);

        Assert.Equal("cool-down", Answer(h, "b.0", OfferOutcome.Declined, T0.AddMinutes(1)).Rejection);
        Assert.Equal("cool-down", Answer(h, "b.0", OfferOutcome.Accepted, T0.AddDays(Upgrade.CoolDownDays).AddMinutes(-1)).Rejection);
        Assert.Equal(OutcomeDecisionKind.Recorded, Answer(h, "b.0", OfferOutcome.Accepted, T0.AddDays(Upgrade.CoolDownDays)).Kind);
        Assert.Equal(OutcomeDecisionKind.Recorded, Answer(h, "b.0", OfferOutcome.Accepted, T0.AddMinutes(-1)).Kind); // before the decline
        Assert.Equal(OutcomeDecisionKind.Recorded, Answer(h, "b.0", OfferOutcome.DoNotOfferAgain, T0.AddMinutes(1)).Kind);
    }

    [Fact]
    public void An_opt_out_is_recorded_even_past_the_contact_limit()
    {
        var h = ContactHistory.Empty;
        var products = SeedCatalogue.Products.Take(4).ToList();
        for (var i = 0; i < 3; i++)
        {
            h = After(h, $"a.{i}", OfferOutcome.Declined, T0.AddMinutes(i), products[i]);
        }

        Assert.Equal("contact-limit", Answer(h, "b.0", OfferOutcome.Declined, T0.AddMinutes(5), products[3]).Rejection);
        var optOut = Answer(h, "b.0", OfferOutcome.DoNotOfferAgain, T0.AddMinutes(5), products[3]);
        Assert.Equal(OutcomeDecisionKind.Recorded, optOut.Kind);
        Assert.Equal(T0.AddMinutes(5), optOut.History.OptedOutAt);
    }

    [Property(MaxTest = 500)]
    public Property Over_any_sequence_of_answers_no_product_is_held_twice_and_only_held_products_earn_credit(byte[] steps)
    {
        var (history, ledger, _) = ContactPolicyTests.Replay(steps ?? [], ContactPolicy.Default);
        var held = history.Records.Where(r => r.Outcome == OfferOutcome.Accepted && r.ReversedAt is null).ToList();
        var netCredit = ledger.Sum(e => (decimal)e.Credit);
        return (held.Select(r => r.ProductId).Distinct(StringComparer.Ordinal).Count() == held.Count).Label("each product held at most once")
            .And((netCredit == held.Sum(r => (decimal)r.Credit)).Label("the ledger's net credit is the held products' credit"));
    }
}
