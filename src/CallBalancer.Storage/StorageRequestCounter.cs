using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CallBalancer.Storage;

/// <summary>
/// Counts the requests the Table (and Queue) clients send: each is one billable storage transaction; an entity-group
/// transaction counts once. Add it with <see cref="CallBalancerTables(StorageOptions, Action{Azure.Data.Tables.TableClientOptions})"/>
/// to measure what a run costs. Built with a clock, it also records every request by table or queue, partition and
/// second of that clock (<see cref="Load"/>), with the entities it wrote or read, to measure rates against the
/// per-partition and per-account scalability targets.
/// </summary>
public sealed partial class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private const string CellProperty = "CallBalancer.StorageRequestCounter.Cell";

    private readonly TimeProvider? _clock;
    private readonly ConcurrentDictionary<StorageLoadKey, StorageLoadCell> _load = new();
    private long _reads;
    private long _writes;

    /// <summary>Counts reads and writes only.</summary>
    public StorageRequestCounter()
    {
    }

    /// <summary>Counts reads and writes, and records each request per partition and per second of <paramref name="clock"/>.</summary>
    public StorageRequestCounter(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
    }

    /// <summary>
    /// A label recorded with each request sent while it is set (e.g. <c>rebalance</c>, <c>snapshots</c>), so a benchmark
    /// that runs its workloads one after another can tell what each cost. Default: empty.
    /// </summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Requests that read (GET).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Requests that write (POST, PUT, MERGE, PATCH, DELETE), including entity-group transactions.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>All requests.</summary>
    public long Total => Reads + Writes;

    /// <summary>
    /// Every (source, service, table or queue, partition, second) touched since the last reset, with its requests and the entities
    /// written and read. Empty unless built with a clock.
    /// </summary>
    public IReadOnlyList<StorageLoadSample> Load =>
        _load.Select(p => new StorageLoadSample(p.Key.Source, p.Key.Service, p.Key.Resource, p.Key.Partition, p.Key.Second,
            Interlocked.Read(ref p.Value.Requests), Interlocked.Read(ref p.Value.WriteRequests),
            Interlocked.Read(ref p.Value.EntitiesWritten), Interlocked.Read(ref p.Value.EntitiesRead))).ToList();

    /// <summary>Sets every count back to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
        _load.Clear();
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            Interlocked.Increment(ref _reads);
        }
        else
        {
            Interlocked.Increment(ref _writes);
        }

        if (_clock is null)
        {
            return;
        }

        var target = StorageRequestTarget.Parse(message.Request);
        var second = _clock.GetUtcNow().ToUnixTimeSeconds();
        var cell = _load.GetOrAdd(new StorageLoadKey(Source, target.Service, target.Resource, target.Partition, second), _ => new StorageLoadCell());
        Interlocked.Increment(ref cell.Requests);
        if (target.IsWrite)
        {
            Interlocked.Increment(ref cell.WriteRequests);
        }

        Interlocked.Add(ref cell.EntitiesWritten, target.EntitiesWritten);
        if (!target.IsWrite)
        {
            message.SetProperty(CellProperty, cell);
        }
    }

    /// <inheritdoc />
    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.TryGetProperty(CellProperty, out var value) && value is StorageLoadCell cell && message.HasResponse)
        {
            Interlocked.Add(ref cell.EntitiesRead, EntitiesIn(message.Response));
        }
    }

    /// <summary>Entities (or queue messages) a successful read returned: a query's <c>value</c> array, one for a point read.</summary>
    private static int EntitiesIn(Response response)
    {
        if (response.Status is < 200 or >= 300)
        {
            return 0;
        }

        BinaryData content;
        try
        {
            content = response.Content;
        }
        catch (InvalidOperationException)
        {
            // A streamed (unbuffered) response: nothing the clients here send.
            return 1;
        }

        var span = content.ToMemory().Span;
        if (span.Length > 0 && span[0] == (byte)'<')
        {
            return QueueMessage().Count(content.ToString());
        }

        try
        {
            using var json = JsonDocument.Parse(content);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("value", out var array) && array.ValueKind == JsonValueKind.Array
                ? array.GetArrayLength()
                : 1;
        }
        catch (JsonException)
        {
            return 1;
        }
    }

    [GeneratedRegex("<QueueMessage>", RegexOptions.CultureInvariant)]
    private static partial Regex QueueMessage();

    private sealed record StorageLoadKey(string Source, string Service, string Resource, string Partition, long Second);

    private sealed class StorageLoadCell
    {
        public long Requests;
        public long WriteRequests;
        public long EntitiesWritten;
        public long EntitiesRead;
    }
}
