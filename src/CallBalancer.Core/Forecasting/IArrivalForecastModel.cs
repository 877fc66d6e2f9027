namespace CallBalancer.Core.Forecasting;

/// <summary>What the backtest needs of a candidate arrival model (lets the ADR compare candidates on one protocol).</summary>
internal interface IArrivalForecastModel
{
    bool Observe(DateTime intervalStart, double? calls);

    IReadOnlyList<IntervalForecast> ForecastDay(DateOnly date);

    IReadOnlyList<IntervalForecast> ForecastRange(DateTime from, int count);
}
