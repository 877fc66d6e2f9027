using System.Collections.Concurrent;
using System.Diagnostics;
using CallBalancer.Core.Kpi;
using CallBalancer.Core.Offers;

namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>
/// Replays calls through the core recommender and outcome recorder with in-memory state, concurrently. Variants:
/// the product (learned ranking, ETag-style guarded writes), a static ranking (reason-blind, no learning: the conversion
/// baseline) and an unguarded write (the limit checked only when offers are shown: the contact-policy baseline).
/// </summary>
internal sealed class CoreOfferReplay(IReadOnlyList<Product> catalogue, ContactPolicy policy, IReadOnlyDictionary<string, CustomerProfile> profiles)
{
    private static readonly ContactPolicy Unlimited = new(int.MaxValue / 2, 1);

    internal enum Variant
    {
        Product,
        StaticRanking,
        Unguarded,
    }

    internal sealed class Result
    {
        public required string Variant { get; init; }

        public int Calls { get; set; }

        public int CallsWithOffers;
        public int OffersShown;
        public int MinListSize = int.MaxValue;
        public int MaxListSize;
        public int Recorded;
        public int RejectedContactLimit;
        public int WriteConflictsRetried;
        public int Acceptances;
        public int Reversals;
        public double Seconds;
        public readonly ConcurrentDictionary<string, int> NoOfferCauses = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, int> RejectedByOtherRules = new(StringComparer.Ordinal);
        public readonly ConcurrentQueue<double> LatencyMicros = new();
        public readonly ConcurrentQueue<LedgerEntry> Ledger = new();
        public InMemoryOfferState State { get; } = new();

        public decimal Credit => Ledger.Sum(e => (decimal)e.Credit);

        public (int Customers, int Excess, int MaxInWindow) Violations(ContactPolicy policy)
        {
            int customers = 0, excess = 0, max = 0;
            foreach (var (_, h) in State.All)
            {
                // An opt-out is recorded even past the limit (OutcomeRecorder): the limit is on the other answers.
                var m = policy.MaxInAnyWindow(h.Records.Where(r => r.Outcome != OfferOutcome.DoNotOfferAgain).Select(r => r.OccurredAt));
                max = Math.Max(max, m);
                if (m > policy.MaxOffers)
                {
                    customers++;
                    excess += m - policy.MaxOffers;
                }
            }

            return (customers, excess, max);
        }

        public object Summary(ContactPolicy policy)
        {
            var (customers, excess, max) = Violations(policy);
            var net = Ledger.Sum(e => e.Acceptances);
            return new
            {
                variant = Variant,
                calls = Calls,
                callsWithOffers = CallsWithOffers,
                offersShown = OffersShown,
                listSize = new { min = CallsWithOffers > 0 ? MinListSize : 0, max = MaxListSize },
                noOfferCauses = NoOfferCauses.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
                outcomesRecorded = Recorded,
                rejectedContactLimit = RejectedContactLimit,
                rejectedByOtherRules = RejectedByOtherRules.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
                writeConflictsRetried = WriteConflictsRetried,
                acceptances = Acceptances,
                reversals = Reversals,
                netAcceptances = net,
                conversion = Recorded > 0 ? Math.Round((double)net / Recorded, 4) : 0,
                weightedCredit = Math.Round((double)Credit, 2),
                contactPolicyViolations = new { customers, excessOffers = excess, maxOffersInAnyWindow = max },
                recommendLatency = Percentiles.Of(LatencyMicros.ToList(), "microseconds"),
                seconds = Math.Round(Seconds, 3),
            };
        }
    }

    /// <param name="calls">The calls, in replay order.</param>
    /// <param name="variant">Which policy.</param>
    /// <param name="concurrency">Calls handled at once.</param>
    /// <param name="overlapping">
    /// Show every call's offers first and record all answers afterwards, concurrently: every call of a customer
    /// overlaps every other, the worst case for the contact limit (each desktop saw a history with room left).
    /// </param>
    public Result Run(IReadOnlyList<ReplayCall> calls, Variant variant, int concurrency, bool overlapping = false)
    {
        var pending = new ConcurrentQueue<Action>();
        var result = new Result { Variant = variant.ToString(), Calls = calls.Count };
        var propensity = new ConcurrentDictionary<string, PropensityCounts>(StringComparer.Ordinal);
        var recommender = new OfferRecommender(policy, PropensityModel.Default);
        var byId = catalogue.ToDictionary(p => p.ProductId, StringComparer.Ordinal);
        var sw = Stopwatch.StartNew();
        Parallel.For(0, calls.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, i =>
        {
            var call = calls[i];
            var profile = profiles.GetValueOrDefault(call.CustomerId) ?? CustomerProfile.Generic(call.CustomerId);
            var segment = CustomerSegment.Of(profile);
            var rankAs = variant == Variant.StaticRanking && ReasonRules.NoOfferReason(call.Reason) is null ? CallReason.General : call.Reason;
            var cell = new Dictionary<string, PropensityCounts>(StringComparer.Ordinal);
            if (variant != Variant.StaticRanking)
            {
                foreach (var p in catalogue)
                {
                    if (propensity.TryGetValue(Key(call.Reason, segment, p.ProductId), out var c))
                    {
                        cell[p.ProductId] = c;
                    }
                }
            }

            var read = result.State.Read(call.CustomerId);
            var t0 = Stopwatch.GetTimestamp();
            var rec = recommender.Recommend(profile, read.History, rankAs, catalogue, cell, call.AnsweredAt);
            result.LatencyMicros.Enqueue(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            if (rec.Offers.Count == 0)
            {
                result.NoOfferCauses.AddOrUpdate(Cause(rec.NoOfferReason), 1, (_, n) => n + 1);
                return;
            }

            Interlocked.Increment(ref result.CallsWithOffers);
            Interlocked.Add(ref result.OffersShown, rec.Offers.Count);
            InterlockedMin(ref result.MinListSize, rec.Offers.Count);
            InterlockedMax(ref result.MaxListSize, rec.Offers.Count);

            // The agent makes the top offer; the caller answers midway through the service.
            var top = byId[rec.Offers[0].ProductId];
            void Answer()
            {
            var outcome = SimulatedCustomer.Answer(call, top.ProductId, profile);
            var at = call.AnsweredAt.AddSeconds(call.ServiceSeconds / 2);
            var offerId = call.CallId + "-" + top.ProductId;
            var recorded = Record(result, variant, new OutcomeCommand(offerId, top, call.AgentId, call.CustomerId, outcome, at), propensity, call.Reason, segment);
            if (recorded && outcome == OfferOutcome.Accepted)
            {
                Interlocked.Increment(ref result.Acceptances);
                if (SimulatedCustomer.Reverses(call, top.ProductId)
                    && Record(result, variant, new OutcomeCommand(offerId, top, call.AgentId, call.CustomerId, OfferOutcome.Reversed, at.AddDays(2)), propensity, call.Reason, segment))
                {
                    Interlocked.Increment(ref result.Reversals);
                }
            }
            }

            if (overlapping)
            {
                pending.Enqueue(Answer);
            }
            else
            {
                Answer();
            }
        });
        Parallel.ForEach(pending.ToList(), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, answer => answer());
        result.Seconds = sw.Elapsed.TotalSeconds;
        return result;
    }

    private bool Record(Result result, Variant variant, OutcomeCommand command, ConcurrentDictionary<string, PropensityCounts> propensity, CallReason reason, string segment)
    {
        OutcomeDecision? decision = null;
        if (variant == Variant.Unguarded)
        {
            // The rules were checked when the offers were shown; the write itself re-checks none of them (limit, opt-out,
            // held product, cool-down): the answer is appended to whatever the history is by then.
            result.State.Append(command.CustomerId, h =>
            {
                if (command.Outcome == OfferOutcome.Reversed)
                {
                    decision = OutcomeRecorder.Decide(h, command, policy);
                    return decision.History;
                }

                decision = OutcomeRecorder.Decide(ContactHistory.Empty, command, Unlimited);
                return decision.Kind != OutcomeDecisionKind.Recorded ? h
                    : new ContactHistory([.. h.Records, .. decision.History.Records], h.OptedOutAt ?? decision.History.OptedOutAt);
            });
        }
        else
        {
            while (true)
            {
                var read = result.State.Read(command.CustomerId);
                decision = OutcomeRecorder.Decide(read.History, command, policy);
                if (decision.Kind != OutcomeDecisionKind.Recorded || result.State.TryWrite(command.CustomerId, read, decision.History))
                {
                    break;
                }

                Interlocked.Increment(ref result.WriteConflictsRetried);
            }
        }

        if (decision!.Kind != OutcomeDecisionKind.Recorded)
        {
            if (decision.Rejection == "contact-limit")
            {
                Interlocked.Increment(ref result.RejectedContactLimit);
            }
            else if (decision.Rejection is { } code)
            {
                result.RejectedByOtherRules.AddOrUpdate(code, 1, (_, n) => n + 1);
            }

            return false;
        }

        if (command.Outcome != OfferOutcome.Reversed)
        {
            Interlocked.Increment(ref result.Recorded);
        }

        result.Ledger.Enqueue(decision.Entry!);
        propensity.AddOrUpdate(Key(reason, segment, command.Product.ProductId), _ => PropensityCounts.None.With(command.Outcome), (_, c) => c.With(command.Outcome));
        return true;
    }

    private static string Key(CallReason reason, string segment, string productId) => reason.ToCode() + "|" + segment + "|" + productId;

    private static string Cause(string? why) => why switch
    {
        null => "unknown",
        _ when why.StartsWith("Contact limit", StringComparison.Ordinal) => "contact-limit",
        _ when why.Contains("never to be offered", StringComparison.Ordinal) => "opted-out",
        _ when why.StartsWith("No product", StringComparison.Ordinal) => "nothing-eligible",
        _ => "no-offer-call-reason",
    };

    private static void InterlockedMin(ref int target, int value)
    {
        int seen;
        while (value < (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
