namespace CallBalancer.Core.Forecasting;

/// <summary>
/// Accuracy of one forecast horizon over a backtest, against the two seasonal baselines evaluated on the same points.
/// Errors are in calls per forecast target (per interval for day-ahead, per 15-minute window for next-15-minutes).
/// </summary>
/// <param name="Mae">Mean absolute error of the forecaster.</param>
/// <param name="Rmse">Root mean squared error of the forecaster.</param>
/// <param name="RelativeMae">MAE divided by the weekly seasonal naive MAE (below 1 beats it).</param>
/// <param name="RelativeRmse">RMSE divided by the weekly seasonal naive RMSE.</param>
/// <param name="SeasonalNaiveMae">MAE of the weekly seasonal naive: the same time on the most recent earlier day of the same weekday.</param>
/// <param name="MeanLast4Mae">MAE of the mean of the same time on the four most recent earlier days of the same weekday.</param>
/// <param name="Coverage80">Share of actuals inside the forecaster's 80% prediction intervals (see the backtest for which intervals).</param>
/// <param name="Points">Number of forecast targets scored.</param>
public sealed record ForecastErrorSummary(
    double Mae,
    double Rmse,
    double RelativeMae,
    double RelativeRmse,
    double SeasonalNaiveMae,
    double MeanLast4Mae,
    double Coverage80,
    int Points);
