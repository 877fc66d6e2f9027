using System.Text;
using System.Text.Json;
using CallBalancer.Core.Telephony;
using CallBalancer.Functions.Telephony;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>Telephony stores and function classes on this test's own tables.</summary>
public abstract class TelephonyTestBase : StorageTestBase
{
    protected TelephonyTestBase(AzuriteFixture azurite, TelephonyOptions? options = null)
        : base(azurite)
    {
        TelephonyOptions = options ?? new TelephonyOptions();
        Calls = new CallProgressStore(Tables, TelephonyOptions);
        AgentStates = new AgentStateStore(Tables);
        Intervals = new IntervalStore(Tables, TelephonyOptions);
        AgentMonths = new AgentQueueMonthStore(Tables);
        Ingestor = new TelephonyIngestor(Calls, AgentStates, Snapshots, Intervals, AgentMonths, TelephonyOptions, Time);
    }

    protected TelephonyOptions TelephonyOptions { get; }

    protected CallProgressStore Calls { get; }

    protected AgentStateStore AgentStates { get; }

    protected IntervalStore Intervals { get; }

    protected AgentQueueMonthStore AgentMonths { get; }

    protected TelephonyIngestor Ingestor { get; }

    protected DateTimeOffset Today => new(Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    internal TelephonyEventsFunction EventsFunction(string? signingSecret = null) => new(
        Ingestor, new WebhookSignature(Time), Microsoft.Extensions.Options.Options.Create(new WebhookOptions { SigningSecret = signingSecret }), Time,
        NullLogger<TelephonyEventsFunction>.Instance);

    internal TwilioWebhookFunction TwilioFunction(string? authToken, bool requireSignature = true, string baseUrl = "https://cb.example.net") => new(
        Ingestor,
        Microsoft.Extensions.Options.Options.Create(new WebhookOptions { TwilioAuthToken = authToken, TwilioRequireSignature = requireSignature, PublicBaseUrl = new Uri(baseUrl) }),
        Time,
        NullLogger<TwilioWebhookFunction>.Instance);

    internal AmazonConnectWebhookFunction ConnectFunction() => new(Ingestor, Time, NullLogger<AmazonConnectWebhookFunction>.Instance);

    internal GenesysWebhookFunction GenesysFunction() => new(Ingestor, Time, NullLogger<GenesysWebhookFunction>.Instance);

    internal QueueIntervalsFunction IntervalsFunction() => new(Intervals, TelephonyOptions, NullLogger<QueueIntervalsFunction>.Instance);

    /// <summary>The day's counts of a queue summed over all its intervals.</summary>
    protected async Task<IntervalCounts> DayTotalAsync(string queueId, DateTimeOffset? day = null)
    {
        var intervals = await Intervals.GetDayAsync(queueId, DateOnly.FromDateTime((day ?? Today).UtcDateTime));
        return intervals.Aggregate(IntervalCounts.Zero, (acc, i) => acc + i.Counts);
    }

    /// <summary>Every row of the (per-month) interval tables (to prove a rejection wrote nothing).</summary>
    protected async Task<int> IntervalRowsAsync()
    {
        var stem = Tables.Names.TelephonyIntervals;
        var n = 0;
        await foreach (var t in Tables.Service.QueryAsync(t => t.Name.CompareTo(stem) >= 0 && t.Name.CompareTo(stem + "~") < 0))
        {
            await foreach (var _ in Tables.Service.GetTableClient(t.Name).QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey"]))
            {
                n++;
            }
        }

        return n;
    }

    protected static string EventJson(string eventId, string type, DateTimeOffset at, string queueId = "cards", string? callId = "c1", string extra = "") =>
        $$"""{"eventId":"{{eventId}}","type":"{{type}}","occurredAt":"{{at:O}}","queueId":"{{queueId}}"{{(callId is null ? "" : $",\"callId\":\"{callId}\"")}}{{extra}}}""";

    protected static string Batch(IEnumerable<string> events) => "{\"events\":[" + string.Join(',', events) + "]}";

    internal static HttpRequest Form(IEnumerable<KeyValuePair<string, string>> fields, string path = "/api/telephony/twilio", string query = "", string? signature = null)
    {
        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 7071);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        if (signature is not null)
        {
            context.Request.Headers["X-Twilio-Signature"] = signature;
        }

        return context.Request;
    }

    protected static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
