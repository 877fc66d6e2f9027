using System.Diagnostics;
using System.Diagnostics.Metrics;
using CallBalancer.Core.Balancing;

namespace CallBalancer.Storage;

/// <summary>
/// The app's traces and metrics (OpenTelemetry-compatible: <see cref="ActivitySource"/> and <see cref="Meter"/> named
/// <c>CallBalancer</c>). Exported to Azure Monitor by the Functions app; any OpenTelemetry listener can read them.
/// </summary>
public static class CallBalancerTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "CallBalancer";

    /// <summary>The counter of queues whose rebalance failed (an alert rule in <c>infra/modules/alerts.bicep</c> watches it).</summary>
    public const string RebalanceFailuresMetric = "callbalancer.rebalance.failures";

    /// <summary>The counter of HTTP requests by endpoint and outcome (an alert rule watches its <c>unavailable</c> outcome).</summary>
    public const string HttpRequestsMetric = "callbalancer.http.requests";

    /// <summary>The tag of <see cref="HttpRequestsMetric"/> that holds the outcome.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>The outcome of a request refused because storage was unreachable.</summary>
    public const string UnavailableOutcome = "unavailable";

    /// <summary>
    /// The outcome of a request answered 503 to retry because the row it writes kept changing under it (storage is up):
    /// not <see cref="UnavailableOutcome"/>, which pages.
    /// </summary>
    public const string ContendedOutcome = "contended";

    /// <summary>Spans: one per rebalance run and one per queue decision (tagged with the decision id).</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Flips = Meter.CreateCounter<long>("callbalancer.mode.flips", "{flip}", "Agent mode records changed, by queue, rule and new mode.");
    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("callbalancer.decisions", "{decision}", "Queue decisions, by rule.");
    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("callbalancer.rebalance.duration", "s", "Duration of a whole rebalance run.");
    private static readonly Counter<long> RunFailures = Meter.CreateCounter<long>(RebalanceFailuresMetric, "{queue}", "Queues whose rebalance unit of work failed.");
    private static readonly Histogram<double> PredictedServiceLevel = Meter.CreateHistogram<double>("callbalancer.service_level.predicted", "1", "Predicted service level after a decision, by queue.");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(HttpRequestsMetric, "{request}", "HTTP requests by endpoint and outcome (accepted, rejected, unavailable).");
    private static readonly Histogram<double> ActualServiceLevel = Meter.CreateHistogram<double>("callbalancer.service_level.actual", "1", "Service level of a completed interval (answers within the target answer time over answers with a known wait), by queue.");
    private static readonly Counter<long> TelephonyEvents = Meter.CreateCounter<long>("callbalancer.telephony.events", "{event}", "Telephony events ingested, by platform and status (accepted, duplicate).");
    private static readonly Histogram<double> ForecastError = Meter.CreateHistogram<double>("callbalancer.forecast.absolute_error", "{call}", "Absolute error of the interval arrival forecast, by queue.");

    /// <summary>Records one queue decision: its rule, flips and predicted service level when the policy computed one.</summary>
    public static void RecordDecision(ModeDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Decisions.Add(1, new KeyValuePair<string, object?>("rule", decision.Rule));
        foreach (var group in decision.Changes.GroupBy(c => c.Mode))
        {
            Flips.Add(group.Count(),
                new KeyValuePair<string, object?>("queue", decision.QueueId),
                new KeyValuePair<string, object?>("rule", decision.Rule),
                new KeyValuePair<string, object?>("mode", group.Key.ToName()));
        }

        foreach (var key in new[] { "predictedServiceLevelAfter", "predictedServiceLevel" })
        {
            if (decision.Inputs.TryGetValue(key, out var sl) && double.IsFinite(sl))
            {
                PredictedServiceLevel.Record(sl, new KeyValuePair<string, object?>("queue", decision.QueueId));
                break;
            }
        }
    }

    /// <summary>Records a finished rebalance run.</summary>
    public static void RecordRun(RebalanceRunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        RunDuration.Record((run.CompletedAt - run.StartedAt).TotalSeconds);
        if (run.Failures > 0)
        {
            RunFailures.Add(run.Failures);
        }
    }

    /// <summary>Records an HTTP request's outcome for an endpoint (e.g. <c>snapshot</c>, <c>telephony.events</c>).</summary>
    public static void RecordRequest(string endpoint, string outcome, int count = 1) =>
        Requests.Add(count, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>(OutcomeTag, outcome));

    /// <summary>Records the actual service level (0-1) of a completed interval.</summary>
    public static void RecordActualServiceLevel(string queueId, double serviceLevel) =>
        ActualServiceLevel.Record(serviceLevel, new KeyValuePair<string, object?>("queue", queueId));

    /// <summary>Records what one webhook call ingested: events accepted and events recognised as duplicates.</summary>
    public static void RecordTelephonyEvents(string source, int accepted, int duplicates)
    {
        TelephonyEvents.Add(accepted, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("status", "accepted"));
        TelephonyEvents.Add(duplicates, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("status", "duplicate"));
    }

    /// <summary>Records the absolute error of an interval forecast once the actual count is known.</summary>
    public static void RecordForecastError(string queueId, double forecast, double actual) =>
        ForecastError.Record(Math.Abs(forecast - actual), new KeyValuePair<string, object?>("queue", queueId));
}
