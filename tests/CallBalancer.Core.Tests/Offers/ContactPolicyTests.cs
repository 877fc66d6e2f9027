using CallBalancer.Core.Kpi;
using CallBalancer.Core.Offers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Offers;

public sealed class ContactPolicyTests
{
    private static readonly DateTimeOffset T0 = OfferGen.Now;

    /// <summary>Brute force: the most recorded offers in any window [s, s + window) over every start s at a recorded instant.</summary>
    private static int BruteForceMax(IReadOnlyList<DateTimeOffset> times, ContactPolicy policy) =>
        times.Count == 0 ? 0 : times.Max(s => times.Count(t => t >= s && t < s + policy.Window));

    /// <summary>Replays a sequence of answers (4 bytes each: offer, outcome, day, minute) through the recorder.</summary>
    internal static (ContactHistory History, List<LedgerEntry> Ledger, List<OutcomeDecision> Decisions) Replay(byte[] steps, ContactPolicy policy, Product? product = null)
    {
        var history = ContactHistory.Empty;
        var ledger = new List<LedgerEntry>();
        var decisions = new List<OutcomeDecision>();
        for (var i = 0; i + 3 < steps.Length; i += 4)
        {
            var p = product ?? OfferGen.Catalogue[steps[i] % OfferGen.Catalogue.Count];
            var outcome = (OfferOutcome)(steps[i + 1] % 5);
            var offerId = $"o{steps[i] % 16}";
            var at = T0.AddDays(steps[i + 2] % 120).AddMinutes(steps[i + 3]);
            var d = OutcomeRecorder.Decide(history, new OutcomeCommand(offerId, p, "a1", "c1", outcome, at), policy);
            decisions.Add(d);
            if (d.Kind == OutcomeDecisionKind.Recorded)
            {
                history = d.History;
                ledger.Add(d.Entry!);
            }
        }

        return (history, ledger, decisions);
    }

    [Property(MaxTest = 500)]
    public Property The_contact_limit_is_never_exceeded_over_any_sequence_of_answers(byte[] steps, byte max, byte window)
    {
        var policy = new ContactPolicy(1 + max % 4, 1 + window % 40);
        var (history, _, _) = Replay(steps ?? [], policy);
        // An opt-out is recorded even past the limit (losing it would contact a customer who asked never to be); every
        // other answer counts it and stays within the limit.
        var times = history.Records.Where(r => r.Outcome != OfferOutcome.DoNotOfferAgain).Select(r => r.OccurredAt).ToList();
        return (BruteForceMax(times, policy) <= policy.MaxOffers).Label("within the limit in every window")
            .And((policy.MaxInAnyWindow(times) == BruteForceMax(times, policy)).Label("sliding count agrees with brute force"));
    }

    [Property(MaxTest = 300)]
    public bool A_record_is_refused_only_when_it_would_overflow_a_window(byte[] days, byte probe)
    {
        var policy = ContactPolicy.Default;
        var times = (days ?? []).Take(10).Select(d => T0.AddDays(d % 90)).ToList();
        var at = T0.AddDays(probe % 90).AddHours(1);
        if (BruteForceMax(times, policy) > policy.MaxOffers)
        {
            return true; // only histories the policy could have produced
        }

        return policy.CanRecordAt(times, at) == (BruteForceMax([.. times, at], policy) <= policy.MaxOffers);
    }

    [Fact]
    public void The_fourth_answer_in_30_days_is_refused_and_the_same_answer_twice_is_a_no_op()
    {
        var h = ContactHistory.Empty;
        for (var i = 0; i < 3; i++)
        {
            // Three products: a product declined is in its cool-down for a month or more.
            var d = OutcomeRecorder.Decide(h, new OutcomeCommand($"o{i}", OfferGen.Catalogue[i], "a1", "c1", OfferOutcome.Declined, T0.AddDays(i * 10)), ContactPolicy.Default);
            Assert.Equal(OutcomeDecisionKind.Recorded, d.Kind);
            h = d.History;
        }

        var product = OfferGen.Catalogue[3];
        var again = OutcomeRecorder.Decide(h, new OutcomeCommand("o2", OfferGen.Catalogue[2], "a1", "c1", OfferOutcome.Declined, T0.AddDays(20)), ContactPolicy.Default);
        Assert.Equal(OutcomeDecisionKind.AlreadyRecorded, again.Kind);
        Assert.Same(h, again.History);

        var fourth = OutcomeRecorder.Decide(h, new OutcomeCommand("o3", product, "a1", "c1", OfferOutcome.Accepted, T0.AddDays(29)), ContactPolicy.Default);
        Assert.Equal(OutcomeDecisionKind.Rejected, fourth.Kind);
        Assert.Equal("contact-limit", fourth.Rejection);

        var later = OutcomeRecorder.Decide(h, new OutcomeCommand("o3", product, "a1", "c1", OfferOutcome.Accepted, T0.AddDays(30)), ContactPolicy.Default);
        Assert.Equal(OutcomeDecisionKind.Recorded, later.Kind);
    }

    [Fact]
    public void A_different_answer_to_the_same_offer_is_a_conflict_and_a_reversal_needs_an_acceptance()
    {
        var product = OfferGen.Catalogue[0];
        var h = OutcomeRecorder.Decide(ContactHistory.Empty, new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.Declined, T0), ContactPolicy.Default).History;
        Assert.Equal("conflict", OutcomeRecorder.Decide(h, new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.Accepted, T0), ContactPolicy.Default).Rejection);
        Assert.Equal("not-accepted", OutcomeRecorder.Decide(h, new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.Reversed, T0), ContactPolicy.Default).Rejection);
    }

    [Fact]
    public void Do_not_offer_again_is_permanent()
    {
        var product = OfferGen.Catalogue[3];
        var h = OutcomeRecorder.Decide(ContactHistory.Empty, new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.DoNotOfferAgain, T0), ContactPolicy.Default).History;
        var customer = new CustomerProfile("c1", CardTier.Gold, 40, new HashSet<string>(), new Dictionary<string, double>());
        var years = new OfferRecommender(ContactPolicy.Default, PropensityModel.Default)
            .Recommend(customer, h, CallReason.PromotionEnquiry, OfferGen.Catalogue, new Dictionary<string, PropensityCounts>(), T0.AddYears(5));
        Assert.Empty(years.Offers);
        Assert.Contains("never", years.NoOfferReason, StringComparison.Ordinal);
    }
}
