using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.WebUtilities;

namespace CallBalancer.Integration.Tests.Infrastructure.StrictTables;

/// <summary>
/// A strict, deterministic, thread-safe in-memory Table service, plugged in under the real Azure SDK as its HTTP
/// transport, so the production stores run against it unchanged (same <c>TableClient</c> calls, same wire format).
/// It answers as Azure Table storage does, also where Azurite 3.37 is lax: an If-Match that is not exactly the stored
/// ETag is 412; an insert of an existing key is 409; a transaction of more than 100 operations (Azurite answers with
/// a response the SDK cannot parse), spanning partitions (Azurite commits it) or naming a row twice is 400; keys with
/// forbidden characters, properties over 64 KiB, more than 252 properties and entities over 1 MiB are 400. Every
/// request runs under one lock, so each operation and each entity-group transaction is atomic and linearisable, which
/// is what the service guarantees; what a test sees never depends on timing inside the store.
/// </summary>
public sealed partial class StrictTableService : HttpMessageHandler
{
    /// <summary>The service's limit on operations in one entity-group transaction.</summary>
    public const int MaxTransactionOperations = 100;

    /// <summary>The service's limit on entities in one query page.</summary>
    public const int MaxPageSize = 1000;

    private const string Account = "devstoreaccount1";
    private const int MaxKeyChars = 512; // 1 KiB of UTF-16
    private const int MaxCustomProperties = 252; // 255 with PartitionKey, RowKey and Timestamp
    private const int MaxPropertyBytes = 64 * 1024;
    private const int MaxEntityBytes = 1024 * 1024;
    private const int MaxBatchBytes = 4 * 1024 * 1024;

    private static readonly Uri Endpoint = new("http://strict-table-service.invalid/" + Account);
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Table> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _clock;
    private readonly bool _pageAtPartitionBoundaries;
    private long _lastTicks;
    private long _requests;
    private long _transactions;

    /// <param name="clock">Server time for <c>Timestamp</c> and ETags (the system clock when null).</param>
    /// <param name="pageAtPartitionBoundaries">
    /// End a query page where the next match is in another partition (the service may end a page early and hand back a
    /// continuation, and clients must follow it); on by default, so code that reads only a first page fails here.
    /// </param>
    public StrictTableService(TimeProvider? clock = null, bool pageAtPartitionBoundaries = true)
    {
        _clock = clock ?? TimeProvider.System;
        _pageAtPartitionBoundaries = pageAtPartitionBoundaries;
    }

    /// <summary>A connection string for this service (the account key is the emulator's public one; nothing is sent anywhere).</summary>
    public static string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint={Endpoint};";

    /// <summary>Requests served (each transaction counts once).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Entity-group transactions committed.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Routes a Table client's requests here instead of the network.</summary>
    public void Attach(TableClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Transport = new HttpClientTransport(new HttpClient(this, disposeHandler: false));
    }

    /// <summary>The entities of a table, in key order (for assertions); empty when the table does not exist.</summary>
    internal IReadOnlyList<StrictEntity> Entities(string table)
    {
        lock (_gate)
        {
            return _tables.TryGetValue(table, out var t) ? t.Rows.Values.ToList() : [];
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[h.Key] = string.Join(",", h.Value);
        }

        Interlocked.Increment(ref _requests);
        Reply reply;
        try
        {
            lock (_gate)
            {
                reply = Handle(request.Method.Method, request.RequestUri!, headers, body);
            }
        }
        catch (TableServiceException ex)
        {
            reply = Reply.Error(ex);
        }

        return reply.ToMessage(request);
    }

    private Reply Handle(string method, Uri uri, Dictionary<string, string> headers, byte[] body)
    {
        var path = uri.AbsolutePath;
        var root = "/" + Account + "/";
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            throw TableServiceException.InvalidInput($"Unknown path '{path}'.");
        }

        var resource = path[root.Length..];
        var query = QueryHelpers.ParseQuery(uri.Query);
        if (resource == "$batch" && method == "POST")
        {
            return Batch(headers, body);
        }

        if (resource == "Tables")
        {
            return method switch
            {
                "POST" => CreateTable(headers, body),
                "GET" => QueryTables(query),
                _ => throw TableServiceException.InvalidInput($"{method} is not supported on Tables."),
            };
        }

        if (TableResource().Match(resource) is { Success: true } tableResource && method == "DELETE")
        {
            var name = Uri.UnescapeDataString(tableResource.Groups["name"].Value).Replace("''", "'", StringComparison.Ordinal);
            if (!_tables.Remove(name))
            {
                throw TableServiceException.ResourceNotFound();
            }

            return Reply.NoContent();
        }

        var (tableName, key, isQuery) = ParseEntityResource(resource);
        var table = _tables.GetValueOrDefault(tableName) ?? throw TableServiceException.TableNotFound();
        if (method == "GET")
        {
            return isQuery || key is null ? Query(table, query) : PointRead(table, key.Value, query);
        }

        var write = PlanWrite(table, method, key, headers, body);
        Apply(table, write);
        return write.Reply;
    }

    private Reply CreateTable(Dictionary<string, string> headers, byte[] body)
    {
        using var doc = ParseJson(body);
        var name = doc.RootElement.TryGetProperty("TableName", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
        if (!TableName().IsMatch(name) || name.Equals("tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new TableServiceException(HttpStatusCode.BadRequest, "InvalidResourceName", $"The table name '{name}' is not valid.");
        }

        if (_tables.ContainsKey(name))
        {
            throw new TableServiceException(HttpStatusCode.Conflict, "TableAlreadyExists", "The table specified already exists.");
        }

        _tables[name] = new Table(name);
        if (ReturnsNoContent(headers))
        {
            return Reply.NoContent();
        }

        return Reply.Json(HttpStatusCode.Created, w =>
        {
            w.WriteStartObject();
            w.WriteString("TableName", name);
            w.WriteEndObject();
        });
    }

    private Reply QueryTables(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var filter = ODataFilter.Parse(query.GetValueOrDefault("$filter"));
        var top = Top(query);
        var next = query.GetValueOrDefault("NextTableName").ToString();
        var names = _tables.Values.Select(t => t.Name)
            .Where(n => filter.Matches(p => p == "TableName" ? new EdmValue(EdmType.String, n) : null))
            .Order(StringComparer.Ordinal)
            .Where(n => next.Length == 0 || string.CompareOrdinal(n, next) >= 0)
            .ToList();
        var page = names.Take(top).ToList();
        var reply = Reply.Json(HttpStatusCode.OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("value");
            foreach (var n in page)
            {
                w.WriteStartObject();
                w.WriteString("TableName", n);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        if (names.Count > page.Count)
        {
            reply.Headers["x-ms-continuation-NextTableName"] = names[page.Count];
        }

        return reply;
    }

    private static Reply PointRead(Table table, EntityKey key, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var entity = table.Rows.GetValueOrDefault(key) ?? throw TableServiceException.ResourceNotFound();
        var select = Select(query);
        var reply = Reply.Json(HttpStatusCode.OK, w => WriteEntity(w, entity, select));
        reply.Headers["ETag"] = entity.ETag;
        return reply;
    }

    private Reply Query(Table table, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var filter = ODataFilter.Parse(query.GetValueOrDefault("$filter"));
        var top = Top(query);
        var select = Select(query);
        var nextPartition = Continuation(query, "NextPartitionKey");
        var nextRow = Continuation(query, "NextRowKey");
        IEnumerable<StrictEntity> rows = table.Rows.Values;
        if (nextPartition is not null)
        {
            var from = new EntityKey(nextPartition, nextRow ?? string.Empty);
            rows = rows.Where(e => new EntityKey(e.PartitionKey, e.RowKey) >= from);
        }

        var page = new List<StrictEntity>();
        StrictEntity? following = null;
        foreach (var e in rows.Where(e => filter.Matches(e.Property)))
        {
            var crossesPartition = _pageAtPartitionBoundaries && page.Count > 0 && page[^1].PartitionKey != e.PartitionKey;
            if (page.Count == top || crossesPartition)
            {
                following = e;
                break;
            }

            page.Add(e);
        }

        var reply = Reply.Json(HttpStatusCode.OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("value");
            foreach (var e in page)
            {
                WriteEntity(w, e, select);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        if (following is not null)
        {
            reply.Headers["x-ms-continuation-NextPartitionKey"] = EncodeContinuation(following.PartitionKey);
            reply.Headers["x-ms-continuation-NextRowKey"] = EncodeContinuation(following.RowKey);
        }

        return reply;
    }

    private Reply Batch(Dictionary<string, string> headers, byte[] body)
    {
        if (body.Length > MaxBatchBytes)
        {
            throw new TableServiceException(HttpStatusCode.RequestEntityTooLarge, "RequestBodyTooLarge", "The request body is too large.");
        }

        var contentType = headers.GetValueOrDefault("Content-Type") ?? string.Empty;
        var batchBoundary = Boundary().Match(contentType) is { Success: true } b ? b.Groups[1].Value : throw TableServiceException.InvalidInput("A batch needs a multipart boundary.");
        var text = Encoding.UTF8.GetString(body).Replace("\r\n", "\n", StringComparison.Ordinal);
        var changeset = ChangesetBoundary().Match(text) is { Success: true } c ? c.Groups[1].Value : throw TableServiceException.InvalidInput("A batch needs one changeset.");
        var operations = ParseChangeset(text, changeset);
        var responseBoundary = "batchresponse_" + batchBoundary.Replace("batch_", string.Empty, StringComparison.Ordinal);
        var changesetResponse = "changesetresponse_" + changeset.Replace("changeset_", string.Empty, StringComparison.Ordinal);

        try
        {
            if (operations.Count == 0)
            {
                throw new BatchOperationException(0, TableServiceException.InvalidInput("A changeset needs at least one operation."));
            }

            if (operations.Count > MaxTransactionOperations)
            {
                throw new BatchOperationException(0, TableServiceException.InvalidInput("The batch request operation exceeds the maximum 100 changes per change set."));
            }

            var planned = new List<PlannedWrite>();
            Table? table = null;
            var keys = new HashSet<EntityKey>();
            for (var i = 0; i < operations.Count; i++)
            {
                var op = operations[i];
                try
                {
                    var resource = op.Uri.AbsolutePath.StartsWith("/" + Account + "/", StringComparison.Ordinal)
                        ? op.Uri.AbsolutePath[(Account.Length + 2)..]
                        : throw TableServiceException.InvalidInput("A batch operation names an unknown path.");
                    var (tableName, key, _) = ParseEntityResource(resource);
                    var opTable = _tables.GetValueOrDefault(tableName) ?? throw TableServiceException.TableNotFound();
                    if (table is not null && !ReferenceEquals(table, opTable))
                    {
                        throw new TableServiceException(HttpStatusCode.BadRequest, "CommandsInBatchActOnDifferentPartitions", "All commands in a batch must operate on the same table and entity group.");
                    }

                    table = opTable;
                    var write = PlanWrite(opTable, op.Method, key, op.Headers, Encoding.UTF8.GetBytes(op.Body));
                    if (planned.Count > 0 && planned[0].Key.PartitionKey != write.Key.PartitionKey)
                    {
                        throw new TableServiceException(HttpStatusCode.BadRequest, "CommandsInBatchActOnDifferentPartitions", "All commands in a batch must operate on the same entity group.");
                    }

                    if (!keys.Add(write.Key))
                    {
                        throw new TableServiceException(HttpStatusCode.BadRequest, "InvalidDuplicateRow", "The batch request contains multiple changes with same row key. An entity can appear only once in a batch request.");
                    }

                    planned.Add(write);
                }
                catch (TableServiceException ex)
                {
                    throw new BatchOperationException(i, ex);
                }
            }

            // Every operation was checked against the same state and names a distinct row: commit all of them at once.
            foreach (var write in planned)
            {
                Apply(table!, write);
            }

            Interlocked.Increment(ref _transactions);
            return Reply.Multipart(responseBoundary, changesetResponse, planned.Select(p => p.Reply).ToList());
        }
        catch (BatchOperationException ex)
        {
            var error = Reply.Error(ex.Error, ex.Index.ToString(CultureInfo.InvariantCulture) + ":");
            error.Headers["Content-ID"] = (ex.Index + 1).ToString(CultureInfo.InvariantCulture);
            return Reply.Multipart(responseBoundary, changesetResponse, [error]);
        }
    }

    private static List<BatchOperation> ParseChangeset(string text, string boundary)
    {
        var operations = new List<BatchOperation>();
        var parts = text.Split("--" + boundary, StringSplitOptions.None);

        // parts[0] is the batch preamble; the last part starts with "--" (the closing delimiter).
        foreach (var part in parts.Skip(1))
        {
            if (part.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var mimeEnd = part.IndexOf("\n\n", StringComparison.Ordinal);
            if (mimeEnd < 0)
            {
                throw TableServiceException.InvalidInput("A batch part has no body.");
            }

            var http = part[(mimeEnd + 2)..];
            var headerEnd = http.IndexOf("\n\n", StringComparison.Ordinal);
            var head = headerEnd < 0 ? http.TrimEnd('\n') : http[..headerEnd];
            var content = headerEnd < 0 ? string.Empty : http[(headerEnd + 2)..].TrimEnd('\n');
            var lines = head.Split('\n');
            var requestLine = lines[0].Split(' ');
            if (requestLine.Length < 2)
            {
                throw TableServiceException.InvalidInput("A batch part has no request line.");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            operations.Add(new BatchOperation(requestLine[0], new Uri(requestLine[1]), headers, content));
        }

        return operations;
    }

    private PlannedWrite PlanWrite(Table table, string method, EntityKey? urlKey, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var ifMatch = headers.GetValueOrDefault("If-Match");
        switch (method)
        {
            case "POST":
            {
                var (key, properties) = ReadEntity(body, null);
                if (table.Rows.ContainsKey(key))
                {
                    throw TableServiceException.EntityAlreadyExists();
                }

                var entity = Stamp(key, properties);
                var reply = ReturnsNoContent(headers)
                    ? Reply.NoContent()
                    : Reply.Json(HttpStatusCode.Created, w => WriteEntity(w, entity, null));
                reply.Headers["ETag"] = entity.ETag;
                return new PlannedWrite(key, entity, reply);
            }

            case "PUT" or "PATCH" or "MERGE":
            {
                var key = urlKey ?? throw TableServiceException.InvalidInput("An update names its entity in the URL.");
                var (_, properties) = ReadEntity(body, key);
                var existing = table.Rows.GetValueOrDefault(key);
                if (ifMatch is not null)
                {
                    // An update (not an upsert): the entity must exist, and the ETag must be exactly the stored one.
                    if (existing is null)
                    {
                        throw TableServiceException.ResourceNotFound();
                    }

                    if (ifMatch != "*" && ifMatch != existing.ETag)
                    {
                        throw TableServiceException.UpdateConditionNotSatisfied();
                    }
                }

                if (method != "PUT" && existing is not null)
                {
                    var merged = new Dictionary<string, EdmValue>(existing.Properties, StringComparer.Ordinal);
                    foreach (var (name, value) in properties)
                    {
                        merged[name] = value;
                    }

                    properties = merged;
                    CheckLimits(key, properties);
                }

                var entity = Stamp(key, properties);
                var reply = Reply.NoContent();
                reply.Headers["ETag"] = entity.ETag;
                return new PlannedWrite(key, entity, reply);
            }

            case "DELETE":
            {
                var key = urlKey ?? throw TableServiceException.InvalidInput("A delete names its entity in the URL.");
                if (ifMatch is null)
                {
                    throw new TableServiceException(HttpStatusCode.BadRequest, "MissingRequiredHeader", "A delete needs an If-Match header.");
                }

                var existing = table.Rows.GetValueOrDefault(key) ?? throw TableServiceException.ResourceNotFound();
                if (ifMatch != "*" && ifMatch != existing.ETag)
                {
                    throw TableServiceException.UpdateConditionNotSatisfied();
                }

                return new PlannedWrite(key, null, Reply.NoContent());
            }

            default:
                throw TableServiceException.InvalidInput($"{method} is not supported on entities.");
        }
    }

    private static void Apply(Table table, PlannedWrite write)
    {
        if (write.After is null)
        {
            table.Rows.Remove(write.Key);
        }
        else
        {
            table.Rows[write.Key] = write.After;
        }
    }

    private StrictEntity Stamp(EntityKey key, IReadOnlyDictionary<string, EdmValue> properties)
    {
        // Time-based ETags like the service's, strictly increasing so that no two writes ever share one.
        var ticks = Math.Max(_clock.GetUtcNow().UtcTicks, _lastTicks + 1);
        _lastTicks = ticks;
        var at = new DateTimeOffset(ticks, TimeSpan.Zero);
        var etag = "W/\"datetime'" + Uri.EscapeDataString(EdmValue.FormatDate(at)) + "'\"";
        return new StrictEntity(key.PartitionKey, key.RowKey, properties, etag, at);
    }

    private static (EntityKey Key, Dictionary<string, EdmValue> Properties) ReadEntity(byte[] body, EntityKey? urlKey)
    {
        using var doc = ParseJson(body);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw TableServiceException.InvalidInput("An entity is a JSON object.");
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Name.EndsWith("@odata.type", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
            {
                annotations[p.Name[..^"@odata.type".Length]] = p.Value.GetString()!;
            }
        }

        string? partition = null, row = null;
        var properties = new Dictionary<string, EdmValue>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Name.Contains('@', StringComparison.Ordinal) || p.Name.StartsWith("odata.", StringComparison.Ordinal) || p.Name == "Timestamp")
            {
                continue;
            }

            if (p.Name is "PartitionKey" or "RowKey")
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    throw TableServiceException.InvalidInput($"{p.Name} must be a string.");
                }

                if (p.Name == "PartitionKey")
                {
                    partition = p.Value.GetString();
                }
                else
                {
                    row = p.Value.GetString();
                }

                continue;
            }

            if (p.Name.Length > 255 || !PropertyName().IsMatch(p.Name))
            {
                throw new TableServiceException(HttpStatusCode.BadRequest, "PropertyNameInvalid", $"The property name '{p.Name}' is invalid.");
            }

            // The service does not store nulls: a null property is simply absent.
            if (EdmValue.FromJson(p.Name, p.Value, annotations.GetValueOrDefault(p.Name)) is { } value)
            {
                properties[p.Name] = value;
            }
        }

        var key = urlKey ?? new EntityKey(
            partition ?? throw TableServiceException.InvalidInput("The entity has no PartitionKey."),
            row ?? throw TableServiceException.InvalidInput("The entity has no RowKey."));
        CheckKey("PartitionKey", key.PartitionKey);
        CheckKey("RowKey", key.RowKey);
        CheckLimits(key, properties);
        return (key, properties);
    }

    private static void CheckKey(string name, string value)
    {
        // The characters the service forbids in keys: '/', '\', '#', '?' and control characters.
        if (value.Length > MaxKeyChars || value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new TableServiceException(HttpStatusCode.BadRequest, "OutOfRangeInput", $"The '{name}' parameter of value '{value}' is out of range.");
        }
    }

    private static void CheckLimits(EntityKey key, IReadOnlyDictionary<string, EdmValue> properties)
    {
        if (properties.Count > MaxCustomProperties)
        {
            throw new TableServiceException(HttpStatusCode.BadRequest, "TooManyProperties", "The entity contains more properties than allowed.");
        }

        // The documented size formula: 4 bytes + 2 per key character (+2 each) + per property 8 + 2 per name character + the value.
        var size = 4 + (2 * key.PartitionKey.Length) + 2 + (2 * key.RowKey.Length) + 2;
        foreach (var (name, value) in properties)
        {
            if (value.Size > MaxPropertyBytes)
            {
                throw new TableServiceException(HttpStatusCode.BadRequest, "PropertyValueTooLarge", $"The property value of '{name}' exceeds the maximum allowed size (64KB).");
            }

            size += 8 + (2 * name.Length) + value.Size;
        }

        if (size > MaxEntityBytes)
        {
            throw new TableServiceException(HttpStatusCode.BadRequest, "EntityTooLarge", "The entity is larger than the maximum allowed size (1MB).");
        }
    }

    private static (string Table, EntityKey? Key, bool IsQuery) ParseEntityResource(string resource)
    {
        var open = resource.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return (Uri.UnescapeDataString(resource), null, true);
        }

        if (!resource.EndsWith(')'))
        {
            throw TableServiceException.InvalidInput($"Bad resource '{resource}'.");
        }

        var table = Uri.UnescapeDataString(resource[..open]);
        var inside = Uri.UnescapeDataString(resource[(open + 1)..^1]);
        if (inside.Length == 0)
        {
            return (table, null, true);
        }

        var i = 0;
        var partition = ReadKeyPart(inside, "PartitionKey=", ref i);
        if (i >= inside.Length || inside[i] != ',')
        {
            throw TableServiceException.InvalidInput($"Bad entity key '{inside}'.");
        }

        i++;
        var row = ReadKeyPart(inside, "RowKey=", ref i);
        if (i != inside.Length)
        {
            throw TableServiceException.InvalidInput($"Bad entity key '{inside}'.");
        }

        return (table, new EntityKey(partition, row), false);
    }

    private static string ReadKeyPart(string s, string name, ref int i)
    {
        if (string.CompareOrdinal(s, i, name, 0, name.Length) != 0 || i + name.Length >= s.Length || s[i + name.Length] != '\'')
        {
            throw TableServiceException.InvalidInput($"Bad entity key '{s}'.");
        }

        i += name.Length;
        return ODataFilter.ReadQuoted(s, ref i);
    }

    private static void WriteEntity(Utf8JsonWriter w, StrictEntity e, HashSet<string>? select)
    {
        w.WriteStartObject();
        w.WriteString("odata.etag", e.ETag);
        if (select is null || select.Contains("PartitionKey"))
        {
            w.WriteString("PartitionKey", e.PartitionKey);
        }

        if (select is null || select.Contains("RowKey"))
        {
            w.WriteString("RowKey", e.RowKey);
        }

        if (select is null || select.Contains("Timestamp"))
        {
            new EdmValue(EdmType.DateTime, e.Timestamp).WriteJson(w, "Timestamp");
        }

        foreach (var (name, value) in e.Properties)
        {
            if (select is null || select.Contains(name))
            {
                value.WriteJson(w, name);
            }
        }

        w.WriteEndObject();
    }

    private static HashSet<string>? Select(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query) =>
        query.TryGetValue("$select", out var s) && !string.IsNullOrEmpty(s.ToString())
            ? s.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : null;

    private static int Top(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        if (!query.TryGetValue("$top", out var t))
        {
            return MaxPageSize;
        }

        return int.TryParse(t.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var top) && top is >= 1 and <= MaxPageSize
            ? top
            : throw TableServiceException.InvalidInput($"$top must be 1 to {MaxPageSize}.");
    }

    private static string EncodeContinuation(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    private static string? Continuation(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name)
    {
        if (!query.TryGetValue(name, out var v) || string.IsNullOrEmpty(v.ToString()))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(v.ToString()));
        }
        catch (FormatException)
        {
            throw TableServiceException.InvalidInput($"Bad continuation token {name}.");
        }
    }

    private static bool ReturnsNoContent(IReadOnlyDictionary<string, string> headers) =>
        headers.GetValueOrDefault("Prefer")?.Contains("return-no-content", StringComparison.OrdinalIgnoreCase) == true;

    private static JsonDocument ParseJson(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw TableServiceException.InvalidInput("The request body is not valid JSON.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^Tables\\('(?<name>.*)'\\)$")]
    private static partial Regex TableResource();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PropertyName();

    [GeneratedRegex("boundary=(batch_[^;\\s]+)")]
    private static partial Regex Boundary();

    [GeneratedRegex("boundary=(changeset_[^;\\s]+)")]
    private static partial Regex ChangesetBoundary();

    private sealed class Table(string name)
    {
        public string Name { get; } = name;

        public SortedDictionary<EntityKey, StrictEntity> Rows { get; } = [];
    }

    private sealed record BatchOperation(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body);

    private sealed record PlannedWrite(EntityKey Key, StrictEntity? After, Reply Reply);

    private sealed class BatchOperationException(int index, TableServiceException error) : Exception(error.Message)
    {
        public int Index { get; } = index;

        public TableServiceException Error { get; } = error;
    }

    /// <summary>An answer: status, headers, body; rendered as an HTTP response or as one part of a batch response.</summary>
    private sealed class Reply(HttpStatusCode status, byte[] body, string? contentType)
    {
        public HttpStatusCode Status { get; } = status;

        public byte[] Body { get; } = body;

        public string? ContentType { get; } = contentType;

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static Reply NoContent() => new(HttpStatusCode.NoContent, [], null);

        public static Reply Json(HttpStatusCode status, Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                write(writer);
            }

            return new Reply(status, buffer.ToArray(), "application/json;odata=minimalmetadata;streaming=true;charset=utf-8");
        }

        public static Reply Error(TableServiceException ex, string messagePrefix = "")
        {
            var reply = Json(ex.Status, w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("odata.error");
                w.WriteString("code", ex.ErrorCode);
                w.WriteStartObject("message");
                w.WriteString("lang", "en-US");
                w.WriteString("value", messagePrefix + ex.Message);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            });
            reply.Headers["x-ms-error-code"] = ex.ErrorCode;
            return reply;
        }

        public static Reply Multipart(string boundary, string changesetBoundary, IReadOnlyList<Reply> parts)
        {
            var sb = new StringBuilder();
            sb.Append("--").Append(boundary).Append("\r\n");
            sb.Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n\r\n");
            foreach (var part in parts)
            {
                sb.Append("--").Append(changesetBoundary).Append("\r\n");
                sb.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
                sb.Append("HTTP/1.1 ").Append((int)part.Status).Append(' ').Append(ReasonPhrase(part.Status)).Append("\r\n");
                sb.Append("DataServiceVersion: 3.0;\r\n");
                foreach (var (name, value) in part.Headers)
                {
                    sb.Append(name).Append(": ").Append(value).Append("\r\n");
                }

                if (part.ContentType is not null)
                {
                    sb.Append("Content-Type: ").Append(part.ContentType).Append("\r\n");
                }

                sb.Append("\r\n").Append(Encoding.UTF8.GetString(part.Body)).Append("\r\n");
            }

            sb.Append("--").Append(changesetBoundary).Append("--\r\n");
            sb.Append("--").Append(boundary).Append("--\r\n");
            var reply = new Reply(HttpStatusCode.Accepted, Encoding.UTF8.GetBytes(sb.ToString()), "multipart/mixed; boundary=" + boundary);
            return reply;
        }

        public HttpResponseMessage ToMessage(HttpRequestMessage request)
        {
            var message = new HttpResponseMessage(Status) { RequestMessage = request, Content = new ByteArrayContent(Body) };
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            foreach (var (name, value) in Headers)
            {
                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    message.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return message;
        }

        private static string ReasonPhrase(HttpStatusCode status) => status switch
        {
            HttpStatusCode.NoContent => "No Content",
            HttpStatusCode.Created => "Created",
            HttpStatusCode.BadRequest => "Bad Request",
            HttpStatusCode.NotFound => "Not Found",
            HttpStatusCode.Conflict => "Conflict",
            HttpStatusCode.PreconditionFailed => "Precondition Failed",
            HttpStatusCode.RequestEntityTooLarge => "Request Entity Too Large",
            _ => status.ToString(),
        };
    }
}
