using CallBalancer.Core.Kpi;
using CallBalancer.Core.Offers;
using CallBalancer.Core.Tests.Offers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CallBalancer.Core.Tests.Kpi;

public sealed class KpiLedgerTests
{
    private static readonly DateTimeOffset T0 = OfferGen.Now;
    private static readonly ContactPolicy Loose = new(MaxOffers: 1000, WindowDays: 30);

    [Property(MaxTest = 500)]
    public Property Ledger_sums_equal_the_report_and_split_periods_add_up(byte[] steps, byte split)
    {
        var (history, ledger, _) = ContactPolicyTests.Replay(steps ?? [], Loose);
        var from = T0;
        var to = T0.AddDays(200);
        var report = KpiCalculator.Summarise(ledger, from, to, null);

        // Independent of the ledger: what the final history says happened.
        var accepted = history.Records.Where(r => r.Outcome == OfferOutcome.Accepted && r.ReversedAt is null).ToList();
        var expectedCredit = accepted.Sum(r => OfferGen.Catalogue.Single(p => p.ProductId == r.ProductId).WeightsAt(r.OccurredAt).Credit);

        var mid = T0.AddDays(split % 130);
        var left = KpiCalculator.Summarise(ledger, from, mid, null);
        var right = KpiCalculator.Summarise(ledger, mid, to, null);
        return (report.OffersMade == history.Records.Count).Label("offers made = recorded answers")
            .And((report.Acceptances == accepted.Count).Label("acceptances = accepted and not reversed"))
            .And((Math.Abs(report.WeightedCredit - expectedCredit) < 1e-9).Label("credit = value x difficulty of kept acceptances"))
            .And((left.OffersMade + right.OffersMade == report.OffersMade && left.Acceptances + right.Acceptances == report.Acceptances
                  && Math.Abs(left.WeightedCredit + right.WeightedCredit - report.WeightedCredit) < 1e-9).Label("periods add up"))
            .And((ledger.Select(e => e.EntryId).Distinct().Count() == ledger.Count).Label("entry ids unique"));
    }

    [Property(MaxTest = 300)]
    public bool A_reversal_nets_to_zero(byte productIndex, byte days)
    {
        var product = OfferGen.Catalogue[productIndex % OfferGen.Catalogue.Count];
        var accept = OutcomeRecorder.Decide(ContactHistory.Empty, new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.Accepted, T0), ContactPolicy.Default);
        var reverse = OutcomeRecorder.Decide(accept.History, new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.Reversed, T0.AddDays(days % 14)), ContactPolicy.Default);
        var both = KpiCalculator.Summarise([accept.Entry!, reverse.Entry!], T0, T0.AddDays(15), null);
        return accept.Entry!.Credit > 0 && both.Acceptances == 0 && both.WeightedCredit == 0 && both.OffersMade == 1
            && reverse.Entry!.Kind == LedgerEntryKind.Reversal;
    }

    [Fact]
    public void A_weight_change_applies_from_its_effective_date_on()
    {
        var seed = SeedCatalogue.Products.Single(p => p.ProductId == "tier-upgrade");
        var changedAt = T0.AddDays(10);
        var product = seed.WithWeightsFrom(new ProductWeights(changedAt, 10, 2));
        var before = OutcomeRecorder.Decide(ContactHistory.Empty, new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.Accepted, changedAt.AddSeconds(-1)), Loose);
        var after = OutcomeRecorder.Decide(ContactHistory.Empty, new OutcomeCommand("o2", product, "a1", "c2", OfferOutcome.Accepted, changedAt), Loose);
        Assert.Equal(8.0 * 1.5, before.Entry!.Credit);
        Assert.Equal(10.0 * 2, after.Entry!.Credit);

        // A later change replaces scheduled ones after it but never rewrites what was in force before.
        var again = product.WithWeightsFrom(new ProductWeights(T0.AddDays(5), 9, 1));
        Assert.Equal(2, again.Weights.Count);
        Assert.Equal(12.0, again.WeightsAt(T0.AddDays(4)).Credit);
        Assert.Equal(9.0, again.WeightsAt(T0.AddDays(20)).Credit);
    }

    [Fact]
    public void Conversion_is_acceptances_over_offers_and_undefined_without_offers()
    {
        Assert.Null(KpiCalculator.Summarise([], T0, T0.AddDays(1), null).Conversion);
        var entries = new[]
        {
            new LedgerEntry("o1:outcome", "a1", "c1", "o1", "sms-alerts", LedgerEntryKind.Outcome, 1, 1, 0.75, T0),
            new LedgerEntry("o2:outcome", "a1", "c2", "o2", "sms-alerts", LedgerEntryKind.Outcome, 1, 0, 0, T0.AddHours(1)),
            new LedgerEntry("o3:outcome", "a1", "c3", "o3", "sms-alerts", LedgerEntryKind.Outcome, 1, 0, 0, T0.AddDays(1)),
        };
        var day = KpiCalculator.Summarise(entries, T0, T0.AddDays(1), new AgentCallFacts(10, 1800));
        Assert.Equal(0.5, day.Conversion);
        Assert.Equal(180, day.CallFacts!.AverageHandleSeconds);
        Assert.Equal(2, day.LedgerEntries);
    }

    [Fact]
    public void Entries_carry_the_queue_the_offer_was_made_in_including_reversals_and_retries()
    {
        var product = OfferGen.Catalogue[0];
        var accept = new OutcomeCommand("o1", product, "a1", "c1", OfferOutcome.Accepted, T0) { QueueId = "cards" };
        var accepted = OutcomeRecorder.Decide(ContactHistory.Empty, accept, ContactPolicy.Default);
        var retried = OutcomeRecorder.Decide(accepted.History, accept, ContactPolicy.Default);
        var reversed = OutcomeRecorder.Decide(accepted.History, accept with { Outcome = OfferOutcome.Reversed, OccurredAt = T0.AddDays(1) }, ContactPolicy.Default);
        Assert.Equal(OutcomeDecisionKind.AlreadyRecorded, retried.Kind);
        Assert.All(new[] { accepted.Entry!, retried.Entry!, reversed.Entry! }, e => Assert.Equal("cards", e.QueueId));
        Assert.Null(OutcomeRecorder.Decide(ContactHistory.Empty, accept with { QueueId = null }, ContactPolicy.Default).Entry!.QueueId);
    }
}
