namespace CallBalancer.Core.Forecasting;

/// <summary>
/// Tuning constants of <see cref="ArrivalForecaster"/>. The defaults were tuned on the 2003 bank series excluding its
/// last 30 days (see <c>docs/adr/0003-forecasting-model.md</c>); they are settings, not part of the persisted state.
/// </summary>
public sealed record ArrivalForecasterOptions
{
    /// <summary>Default options.</summary>
    public static ArrivalForecasterOptions Default { get; } = new();

    /// <summary>
    /// Smoothing constant of the daily level (0..1]: the share of a finished day's ratio of actual to forecast calls that
    /// moves the level. <value>Default 0.6.</value>
    /// </summary>
    public double LevelSmoothing { get; init; } = 0.6;

    /// <summary>
    /// Smoothing constant of each weekday's time-of-day shape (0..1], applied once per observed day of that weekday.
    /// Until a weekday has 1/x days the profile is their plain mean. <value>Default 0.1.</value>
    /// </summary>
    public double ProfileSmoothing { get; init; } = 0.1;

    /// <summary>
    /// Smoothing constant of each weekday's daily total relative to the level (0..1], applied once per observed day of
    /// that weekday (the weekly pattern of day totals). <value>Default 0.2.</value>
    /// </summary>
    public double WeekdayTotalSmoothing { get; init; } = 0.2;

    /// <summary>
    /// Shrinkage of each weekday's profile shape towards the mean shape of all weekdays (0 = none, 1 = one shape for
    /// every weekday); the weekday's daily total is kept. <value>Default 0.2.</value>
    /// </summary>
    public double WeekdayShrinkage { get; init; } = 0.2;

    /// <summary>
    /// Weight given to each neighbouring interval when the profile is smoothed along the time of day (0..0.5);
    /// reduces the Poisson noise left in the profile. It applies as given to intervals of up to 6 minutes; an interval
    /// of L minutes gets the weight × 6 / L (0.12 at 15 minutes, 0.03 hourly), so the smoothing spans the same part of
    /// the day. <value>Default 0.3.</value>
    /// </summary>
    public double TimeOfDaySmoothing { get; init; } = 0.3;

    /// <summary>
    /// A day whose total differs from its forecast by more than this factor (either way) is treated as an outlier
    /// (holiday, outage): its total is clipped to the limit before it updates the level and profile. <value>Default 1.5.</value>
    /// </summary>
    public double OutlierRatioLimit { get; init; } = 1.5;

    /// <summary>
    /// Per-interval decay (0..1] of the weight of the day's earlier intervals when the observed counts so far rescale the
    /// rest of the day; smaller follows recent intervals faster. It applies as given to intervals of up to 6 minutes; an
    /// interval of L minutes decays by its power L / 6 (0.77 at 15 minutes, 0.35 hourly), so the ratio follows the same
    /// recent stretch of the day. <value>Default 0.9.</value>
    /// </summary>
    public double IntradayDecay { get; init; } = 0.9;

    /// <summary>
    /// Multiplier of the prior strength that shrinks the intraday ratio towards 1; the prior strength itself is learnt
    /// from the spread of past days' ratios (a gamma prior on the day's level). <value>Default 0.5.</value>
    /// </summary>
    public double IntradayPriorScale { get; init; } = 0.5;

    /// <summary>
    /// Autocorrelation (0..1) of the relative residual carried from the last observed interval into the next ones,
    /// decaying as its powers with the lead. The tuning found no gain on the bank data (0.3 raised the
    /// next-15-minute error), so it is off. <value>Default 0.</value>
    /// </summary>
    public double ResidualAutocorrelation { get; init; }

    /// <summary>Nominal coverage of the central prediction interval. <value>Default 0.8.</value></summary>
    public double Coverage { get; init; } = 0.8;

    /// <summary>
    /// Step of the online (Robbins-Monro) tracking of the standardised residual quantiles that calibrate the
    /// prediction intervals. <value>Default 0.01.</value>
    /// </summary>
    public double QuantileStep { get; init; } = 0.01;

    /// <summary>Smoothing constant of the residual variance estimates (per observed interval). <value>Default 0.005.</value></summary>
    public double VarianceSmoothing { get; init; } = 0.005;

    /// <summary>Throws when a constant lies outside its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A constant lies outside its documented range.</exception>
    public void Validate()
    {
        static void Check(double value, double min, double max, string name)
        {
            if (!(value >= min && value <= max))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [{min}, {max}].");
            }
        }

        Check(LevelSmoothing, 0, 1, nameof(LevelSmoothing));
        Check(ProfileSmoothing, 1e-6, 1, nameof(ProfileSmoothing));
        Check(WeekdayTotalSmoothing, 1e-6, 1, nameof(WeekdayTotalSmoothing));
        Check(WeekdayShrinkage, 0, 1, nameof(WeekdayShrinkage));
        Check(TimeOfDaySmoothing, 0, 0.5, nameof(TimeOfDaySmoothing));
        Check(OutlierRatioLimit, 1, double.MaxValue, nameof(OutlierRatioLimit));
        Check(IntradayDecay, 1e-6, 1, nameof(IntradayDecay));
        Check(IntradayPriorScale, 0, 1e6, nameof(IntradayPriorScale));
        Check(ResidualAutocorrelation, 0, 0.999, nameof(ResidualAutocorrelation));
        Check(Coverage, 0.01, 0.99, nameof(Coverage));
        Check(QuantileStep, 1e-6, 1, nameof(QuantileStep));
        Check(VarianceSmoothing, 1e-6, 1, nameof(VarianceSmoothing));
    }
}
