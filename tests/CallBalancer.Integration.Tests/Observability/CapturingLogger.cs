using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Integration.Tests.Observability;

/// <summary>Keeps every log entry with its structured state (the message template's named values).</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        _entries.Enqueue(new Entry(logLevel, formatter(state, exception), values));
    }

    internal sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State);
}
