using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;

namespace CallBalancer.Storage;

/// <summary>
/// What one HTTP request to Azure Storage touches, read from its URL and (for inserts and entity-group transactions)
/// its body: the service, the table or queue, the partition, whether it writes, and how many entities it writes.
/// The Table service's scalability targets are per partition (entities/s) and per account (requests/s); a Queue's are
/// per queue (messages/s), so for queues the partition is the queue itself.
/// </summary>
/// <param name="Service"><c>table</c> or <c>queue</c>.</param>
/// <param name="Resource">The table or queue name (<c>Tables</c> for table-level operations).</param>
/// <param name="Partition">The partition key; the queue name for queues; <c>*</c> for a query that names no single partition; a range as <c>from…</c>.</param>
/// <param name="IsWrite">True for anything but GET and HEAD.</param>
/// <param name="EntitiesWritten">Entities (or messages) the request writes: the operations inside an entity-group transaction, 1 for a single write, 0 for a read.</param>
public sealed partial record StorageRequestTarget(string Service, string Resource, string Partition, bool IsWrite, int EntitiesWritten)
{
    /// <summary>Reads the target of a request.</summary>
    public static StorageRequestTarget Parse(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.Uri.ToUri();
        var isWrite = request.Method != RequestMethod.Get && request.Method != RequestMethod.Head;
        var path = PathWithoutAccount(uri);
        var isTable = request.Headers.TryGetValue("DataServiceVersion", out _);
        if (!isTable)
        {
            // Queue service: /{queue}, /{queue}/messages, /{queue}/messages/{id}.
            var queue = path.Split('/', 2)[0];
            return new StorageRequestTarget("queue", queue, queue, isWrite, isWrite && path.Contains("/messages", StringComparison.Ordinal) ? 1 : 0);
        }

        if (path.StartsWith("$batch", StringComparison.Ordinal))
        {
            return ParseBatch(request);
        }

        var open = path.IndexOf('(', StringComparison.Ordinal);
        var table = Uri.UnescapeDataString(open < 0 ? path : path[..open]);
        if (open >= 0 && KeysInPath().Match(Uri.UnescapeDataString(path[open..])) is { Success: true } keys)
        {
            return new StorageRequestTarget("table", table, Unquote(keys.Groups[1].Value), isWrite, isWrite ? 1 : 0);
        }

        if (isWrite && request.Method == RequestMethod.Post && !string.Equals(table, "Tables", StringComparison.Ordinal))
        {
            // Insert entity: the keys are in the JSON body.
            var body = ReadBody(request);
            var pk = PartitionKeyInJson().Match(body);
            return new StorageRequestTarget("table", table, pk.Success ? Regex.Unescape(pk.Groups[1].Value) : "*", true, 1);
        }

        return new StorageRequestTarget("table", table, PartitionOfFilter(uri), isWrite, isWrite ? 1 : 0);
    }

    private static StorageRequestTarget ParseBatch(Request request)
    {
        // A multipart body: one "VERB url HTTP/1.1" line per operation; every operation is in one partition and one
        // table. Inserts carry their keys in the JSON that follows; the others in the URL.
        var body = ReadBody(request);
        var operations = BatchOperation().Matches(body);
        if (operations.Count == 0)
        {
            return new StorageRequestTarget("table", "$batch", "*", true, 0);
        }

        var first = new Uri(operations[0].Groups[2].Value);
        var path = PathWithoutAccount(first);
        var open = path.IndexOf('(', StringComparison.Ordinal);
        var table = Uri.UnescapeDataString(open < 0 ? path : path[..open]);
        string partition;
        if (open >= 0 && KeysInPath().Match(Uri.UnescapeDataString(path[open..])) is { Success: true } keys)
        {
            partition = Unquote(keys.Groups[1].Value);
        }
        else
        {
            var pk = PartitionKeyInJson().Match(body, operations[0].Index);
            partition = pk.Success ? Regex.Unescape(pk.Groups[1].Value) : "*";
        }

        return new StorageRequestTarget("table", table, partition, true, operations.Count);
    }

    private static string PathWithoutAccount(Uri uri)
    {
        var path = uri.AbsolutePath.TrimStart('/');

        // Emulators (and IP endpoints) put the account in the path: http://127.0.0.1:10002/devstoreaccount1/...
        if (!uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _))
        {
            return path;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : path[(slash + 1)..];
    }

    private static string PartitionOfFilter(Uri uri)
    {
        var query = uri.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .FirstOrDefault(p => p.Length == 2 && Uri.UnescapeDataString(p[0]) == "$filter");
        if (query is null)
        {
            return "*";
        }

        var filter = Uri.UnescapeDataString(query[1].Replace('+', ' '));
        if (PartitionEquals().Match(filter) is { Success: true } eq)
        {
            return Unquote(eq.Groups[1].Value);
        }

        return PartitionFrom().Match(filter) is { Success: true } from ? Unquote(from.Groups[1].Value) + "…" : "*";
    }

    private static string ReadBody(Request request)
    {
        if (request.Content is null)
        {
            return string.Empty;
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // An OData string literal: quotes doubled inside.
    private static string Unquote(string literal) => literal.Replace("''", "'", StringComparison.Ordinal);

    [GeneratedRegex(@"^\(PartitionKey='((?:[^']|'')*)',\s*RowKey='(?:[^']|'')*'\)", RegexOptions.CultureInvariant)]
    private static partial Regex KeysInPath();

    [GeneratedRegex(@"PartitionKey eq '((?:[^']|'')*)'", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionEquals();

    [GeneratedRegex(@"PartitionKey ge '((?:[^']|'')*)'", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionFrom();

    [GeneratedRegex(@"""PartitionKey""\s*:\s*""((?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionKeyInJson();

    [GeneratedRegex(@"(?m)^(POST|PUT|MERGE|PATCH|DELETE|GET) (\S+) HTTP/1\.1\r?$", RegexOptions.CultureInvariant)]
    private static partial Regex BatchOperation();
}
