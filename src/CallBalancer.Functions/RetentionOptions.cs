using System.ComponentModel.DataAnnotations;
using CallBalancer.Functions.Telephony;
using CallBalancer.Storage;

namespace CallBalancer.Functions;

/// <summary>
/// How long data is kept and how much one nightly run may delete. Bound from <c>CallBalancer:Retention</c>
/// (<c>CallBalancer__Retention__Days</c>, <c>__OfferDays</c>, <c>__MaxDeletesPerRun</c>). What each table keeps, and
/// why the KPI ledger and the supervision audit are never deleted, is in <c>docs/adr/0007-retention.md</c>.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Retention";

    /// <summary>
    /// Days to keep decisions, queue snapshots, telephony interval counts (with their dedupe records) and call records,
    /// 8 to 3,650. Default 35 (a month of history for explaining decisions and feeding the forecaster, plus slack).
    /// Must exceed the oldest event the webhooks accept (7 days), or a re-sent event could outlive its dedupe record
    /// and be counted twice. Per-month tables go whole, so a month is kept until its last day is this old.
    /// </summary>
    [Range(8, 3650)]
    public int Days { get; set; } = 35;

    /// <summary>
    /// Days to keep the offers shown to customers, 1 to 3,650. Default 90: an outcome or a reversal (a product
    /// cancelled in its cooling-off period) can be posted for an offer until then; later ones answer 404. The
    /// customer's contact history and the KPI ledger are not affected.
    /// </summary>
    [Range(1, 3650)]
    public int OfferDays { get; set; } = 90;

    /// <summary>
    /// Entity deletes one run may do, 100 to 10,000,000. Default 200,000 (about 2,000 transactions; whole-month tables
    /// dropped do not count). A run that stops at the budget is continued by the next one.
    /// </summary>
    [Range(100, 10_000_000)]
    public int MaxDeletesPerRun { get; set; } = 200_000;

    /// <summary>The policy these options describe.</summary>
    public RetentionPolicy ToPolicy() => new(TimeSpan.FromDays(Days), TimeSpan.FromDays(OfferDays), MaxDeletesPerRun);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TimeSpan.FromDays(Days) <= TelephonyEventValidator.MaxAge)
        {
            yield return new ValidationResult(
                $"Days must exceed the oldest event the webhooks accept ({TelephonyEventValidator.MaxAge.TotalDays} days).", [nameof(Days)]);
        }
    }
}
