using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CallBalancer.Storage;

namespace CallBalancer.Integration.Tests.Observability;

/// <summary>Collects every measurement of the app's <c>CallBalancer</c> meter while it lives (a <see cref="MeterListener"/>).</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CallBalancerTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>The measurements of one instrument whose tags include every pair given.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).ToList();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tags)
        {
            map[t.Key] = Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, value, map));
    }

    internal sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags);
}
