using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallBalancer.DevHost;
using CallBalancer.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace CallBalancer.Cli.Commands;

/// <summary>
/// <c>callbalancer fuzz [--requests 10000] [--seed 1] [--concurrency 8] [--json]</c>: generated hostile requests against
/// every HTTP function of the dev host on its own Azurite (loopback only, a fixed count): malformed JSON, wrong types,
/// missing fields, huge and negative numbers, far-future and far-past timestamps, illegal and unknown ids, oversized
/// bodies, wrong content types, bad signatures and principals. Counts answers by status; exits 1 on any 5xx, on any
/// 4xx from a function that is not problem details (the host's own 404/405 for a path or method no function takes
/// have no body, as in Azure Functions), and on any 4xx whose request wrote to storage (<see cref="FuzzWriteLog"/>).
/// </summary>
internal sealed partial class FuzzCommand : ICliCommand
{
    private static readonly string[] ContentTypes =
        ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "text/csv", "application/xml", ""];

    private static readonly string[] Ids = ["cards", "a1", "q-1", "agent.7", "x", "bad#id", "a/b", "%00", "ünïcode", new string('z', 65), "..", "null", "-1"];

    private static readonly string[] Strings =
        ["", "x", "available", "on-call", "service-only", "cross-sell", "accepted", "declined", "reversed", "call.arrived", "call.ended",
         "agent.state", "queue.snapshot", "bill-enquiry", "complaint", "promotion-enquiry", "\u0000", "'; DROP TABLE x;--", "<script>", new string('a', 5000)];

    private static readonly string[] Keys =
        ["observedAt", "waitingCalls", "oldestWaitSeconds", "agents", "agentId", "state", "eventId", "type", "occurredAt", "queueId", "callId",
         "reason", "customerId", "events", "outcome", "serviceLevelTarget", "targetSeconds", "emergencyWaitSeconds", "emergencyQueueLength",
         "minDwellSeconds", "crossSellWindows", "mode", "scope", "until", "day", "settings", "productId", "name", "valueWeight", "tier", "holdings"];

    public string Name => "fuzz";

    public string Summary => "Send N generated hostile requests to every HTTP function of a local dev host; fail on any 5xx.";

    public async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var requests = args.Int("requests") ?? 10_000;
        var seed = args.Int("seed") ?? 1;
        var concurrency = args.Int("concurrency") ?? 8;
        if (requests < 1 || concurrency is < 1 or > 64)
        {
            throw new CliUsageException("--requests must be positive and --concurrency 1-64.");
        }

        await using var azurite = await AzuriteLauncher.StartAsync(persist: false, Console.Error.WriteLine, cancellationToken);
        var port = AzuriteLauncher.FreePort();
        var accessor = new HttpContextAccessor();
        var writes = new FuzzWriteLog(accessor);
        var app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", "--REBALANCE_SCHEDULE=0 0 0 1 1 *", "--Logging:LogLevel:Default=None",
             "--CallBalancer:DevAuth:Enabled=true", "--CallBalancer:Twilio:AuthToken=fuzz-token", "--CallBalancer:Twilio:RequireSignature=true",
             $"--CallBalancer:PublicBaseUrl=http://127.0.0.1:{port}"],
            azurite.ConnectionString,
            b =>
            {
                b.Services.AddSingleton<IHttpContextAccessor>(accessor);
                b.Services.AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(writes);
            });
        await app.StartAsync(cancellationToken);
        var routes = FunctionCatalog.Discover(typeof(CallBalancerServiceCollectionExtensions).Assembly).Where(f => f.Http is not null).ToList();
        var matchers = routes.Select(f => (Matcher: new TemplateMatcher(TemplateParser.Parse(f.Route.TrimStart('/')), []), f.Methods)).ToList();
        var byStatus = new SortedDictionary<int, int>();
        var failures = new List<object>();
        var routingAnswers = 0;
        var acceptedWithWrites = 0;
        var rejectedWithWrites = 0;
        var rejectedWithoutProblem = 0;
        var rejectionFailures = new List<object>();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

            // Control: a valid snapshot must be seen writing, or "rejections wrote nothing" would prove nothing.
            using (var control = new HttpRequestMessage(HttpMethod.Post, "/api/queues/fuzz-control/snapshot"))
            {
                control.Headers.TryAddWithoutValidation(FuzzWriteLog.Header, "-1");
                control.Content = new StringContent(
                    $$"""{"observedAt":"{{DateTimeOffset.UtcNow:O}}","waitingCalls":0,"oldestWaitSeconds":0,"agents":[{"agentId":"c1","state":"available"}]}""",
                    Encoding.UTF8, "application/json");
                using var answer = await http.SendAsync(control, cancellationToken);
                if (answer.StatusCode != HttpStatusCode.Accepted || writes.WritesOf(-1) == 0)
                {
                    throw new InvalidOperationException($"The control snapshot answered {(int)answer.StatusCode} with {writes.WritesOf(-1)} storage writes seen; the write check does not work.");
                }
            }
            var next = -1;
            var workers = Enumerable.Range(0, concurrency).Select(async w =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests)
                {
                    var random = new Random(HashCode.Combine(seed, i));
                    var function = routes[random.Next(routes.Count)];
                    using var message = Build(function, random, i);
                    var description = $"{message.Method} {message.RequestUri}";
                    int status;
                    string? mediaType = null;
                    message.Headers.TryAddWithoutValidation(FuzzWriteLog.Header, i.ToString(CultureInfo.InvariantCulture));
                    try
                    {
                        using var response = await http.SendAsync(message, cancellationToken);
                        status = (int)response.StatusCode;
                        mediaType = response.Content.Headers.ContentType?.MediaType;
                    }
                    catch (HttpRequestException ex)
                    {
                        status = 599;
                        description += " " + ex.Message;
                    }

                    // A rejection must be problem details and must have written nothing (the response is complete, so
                    // every storage call it made has returned).
                    var wrote = status is >= 400 and < 500 ? writes.WritesOf(i) : 0;
                    var routing = status is 404 or 405 && mediaType is null && RoutingAnswer(matchers, message.Method.Method, message.RequestUri!) == status;
                    var problem = status is < 400 or >= 500 || mediaType == "application/problem+json" || routing;
                    lock (byStatus)
                    {
                        byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
                        if (status >= 500 && failures.Count < 20)
                        {
                            failures.Add(new { request = i, function = function.Name, status, description });
                        }

                        routingAnswers += routing ? 1 : 0;
                        acceptedWithWrites += status is >= 200 and < 300 && writes.WritesOf(i) > 0 ? 1 : 0;
                        rejectedWithWrites += wrote > 0 ? 1 : 0;
                        rejectedWithoutProblem += problem ? 0 : 1;
                        if ((wrote > 0 || !problem) && rejectionFailures.Count < 20)
                        {
                            rejectionFailures.Add(new { request = i, function = function.Name, status, mediaType, storageWrites = wrote, description });
                        }
                    }

                    if ((i + 1) % 1000 == 0)
                    {
                        Console.Error.WriteLine($"fuzz: {i + 1}/{requests}");
                    }
                }
            });
            await Task.WhenAll(workers);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        var serverErrors = byStatus.Where(kv => kv.Key >= 500).Sum(kv => kv.Value);
        var result = new
        {
            requests,
            seed,
            functions = routes.Count,
            seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
            byStatus = byStatus.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
            serverErrors,
            firstServerErrors = failures,
            answeredByHostRouting = routingAnswers,
            rejectedWithStorageWrites = rejectedWithWrites,
            acceptedWithStorageWrites = acceptedWithWrites, // shows the write log sees writes at all
            rejectedWithoutProblemDetails = rejectedWithoutProblem,
            firstBadRejections = rejectionFailures,
            loadAverage = Benchmarks.MachineLoad.Read(),
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        return serverErrors == 0 && rejectedWithWrites == 0 && rejectedWithoutProblem == 0 ? 0 : 1;
    }

    /// <summary>
    /// The status the host's routing answers (with no body, before any function runs) for this method and path: 404
    /// when no function has the path, 405 when none takes the method there; 0 when a function takes the request, whose
    /// rejections must be problem details. The Functions host answers such requests itself in the cloud too.
    /// </summary>
    private static int RoutingAnswer(List<(TemplateMatcher Matcher, IReadOnlyList<string> Methods)> matchers, string method, Uri uri)
    {
        // As the server sees the path: decoded, except for reserved characters such as an encoded '/'.
        var path = new PathString("/" + uri.GetComponents(UriComponents.Path, UriFormat.SafeUnescaped));
        var matching = matchers.Where(m => m.Matcher.TryMatch(path, [])).ToList();
        return matching.Count == 0 ? 404 : matching.Any(m => m.Methods.Contains(method)) ? 0 : 405;
    }

    private static HttpRequestMessage Build(FunctionEntry function, Random random, int i)
    {
        var path = RouteParameter().Replace(function.Route, _ => Uri.EscapeDataString(Pick(random, Ids)));
        var query = random.Next(3) switch
        {
            0 => "",
            1 => $"?date={Pick(random, ["2026-11-28", "1999-02-10", "yesterday", "2026-02-30", ""])}&customerId={Pick(random, Ids)}&reason={Pick(random, Strings)}",
            _ => $"?from={Pick(random, ["2026-11-01T00:00:00Z", "x", "9999-12-31", "-1"])}&to={Pick(random, ["2026-11-30T00:00:00Z", "0001-01-01"])}&queue={Pick(random, Ids)}&take={random.Next(-5, 100_000)}",
        };
        var method = random.Next(10) == 0 ? Pick(random, ["GET", "POST", "PUT", "DELETE", "PATCH"]) : Pick(random, function.Methods.ToArray());
        var message = new HttpRequestMessage(new HttpMethod(method), path + query);
        if (method is "POST" or "PUT" or "PATCH")
        {
            var body = Body(random);
            var content = new ByteArrayContent(body);
            var type = Pick(random, ContentTypes);
            if (type.Length > 0)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            message.Content = content;
        }

        if (random.Next(2) == 0)
        {
            message.Headers.TryAddWithoutValidation("X-MS-CLIENT-PRINCIPAL", random.Next(4) switch
            {
                0 => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\":[{\"typ\":\"roles\",\"val\":\"supervisor\"}]}")),
                1 => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\":[{\"typ\":\"roles\",\"val\":\"agent\"}]}")),
                2 => "not base64!",
                _ => Convert.ToBase64String(Encoding.UTF8.GetBytes("[1,2,3]")),
            });
        }

        if (random.Next(4) == 0)
        {
            message.Headers.TryAddWithoutValidation("If-Match", Pick(random, ["*", "\"x\"", "W/\"1\"", "garbage"]));
        }

        if (random.Next(4) == 0)
        {
            message.Headers.TryAddWithoutValidation("X-Twilio-Signature", Pick(random, ["", "abc", "RSOYDt4T1cUTdK1PDd93/VVr8B8="]));
            message.Headers.TryAddWithoutValidation("X-CallBalancer-Signature", Pick(random, ["t=1,v1=00", "v1=", "t=x"]));
        }

        return message;
    }

    private static byte[] Body(Random random) => random.Next(12) switch
    {
        0 => [],
        1 => Encoding.UTF8.GetBytes(new string('[', random.Next(1, 200))),
        2 => Enumerable.Range(0, random.Next(1, 300)).Select(_ => (byte)random.Next(256)).ToArray(),
        3 => Encoding.UTF8.GetBytes("{\"a\":" + new string('1', random.Next(1, 400)) + "}"),
        4 => Encoding.UTF8.GetBytes("TaskSid=WT1&EventType=" + Pick(random, ["task.created", "task.canceled", "worker.activity.update", "x"]) + "&TaskQueueName=" + Pick(random, Ids)),
        5 => Encoding.UTF8.GetBytes("customerId,tier,tenureMonths\nc1,gold,12\nc2,,-4\n" + Pick(random, Strings)),
        6 when random.Next(4) == 0 => Encoding.UTF8.GetBytes("{\"x\":\"" + new string('y', 300_000) + "\"}"),
        _ => Encoding.UTF8.GetBytes(JsonObject(random, depth: 0)),
    };

    private static string JsonObject(Random random, int depth)
    {
        var fields = Enumerable.Range(0, random.Next(0, 8))
            .Select(_ => $"\"{Pick(random, Keys)}\":{JsonValue(random, depth + 1)}");
        var text = "{" + string.Join(',', fields) + "}";

        // Sometimes cut it short: truncated JSON.
        return random.Next(10) == 0 && text.Length > 2 ? text[..random.Next(1, text.Length)] : text;
    }

    private static string JsonValue(Random random, int depth) => random.Next(depth > 3 ? 8 : 11) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => Pick(random, ["0", "-1", "1.5", "1e308", "-1e308", "9223372036854775808", "3", "100000000", "0.8", "NaN"]),
        3 => JsonSerializer.Serialize(Pick(random, Strings)),
        4 => JsonSerializer.Serialize(Pick(random, Ids)),
        5 => JsonSerializer.Serialize(Pick(random, ["2026-11-28T10:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1999-02-10", "2026-11-28T10:00:00+14:00", "not a date"])),
        6 => JsonSerializer.Serialize(DateTimeOffset.UtcNow.AddSeconds(-random.Next(0, 600)).ToString("O", CultureInfo.InvariantCulture)),
        7 => "\"" + Pick(random, ["service-only", "cross-sell", "agent", "queue", "freeze"]) + "\"",
        8 => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 4)).Select(_ => JsonValue(random, depth + 1))) + "]",
        _ => JsonObject(random, depth),
    };

    private static string Pick(Random random, IReadOnlyList<string> values) => values[random.Next(values.Count)];

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
