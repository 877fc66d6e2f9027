using System.Text.Json;
using CallBalancer.Core.Balancing;
using CallBalancer.Functions.Supervision;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>
/// The decision log API on Azurite (fake clock, 2026-11-28 10:00 UTC): paging through a period returns exactly its
/// decisions, newest first, across month tables, filtered by agent; bad input is a 400 naming the field.
/// </summary>
public sealed class QueueDecisionsFunctionTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private QueueDecisionsFunction Function() => new(Decisions, Time, SupervisorRequests.DevAuth(), NullLogger<QueueDecisionsFunction>.Instance);

    private static ModeDecision Decision(string id, DateTimeOffset at, params string[] agents) => new(id, "cards", at, "idle-reserve", "why " + id, agents.Length,
        agents.Select(a => new AgentModeChange(a, AgentMode.CrossSell, null, at, "why", true)).ToList(),
        new Dictionary<string, double> { ["idleAgents"] = agents.Length });

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    private async Task<JsonElement> GetAsync(string query, int status = 200)
    {
        var result = await Function().RunAsync(SupervisorRequests.Get(query: query), "cards");
        var objectResult = Assert.IsAssignableFrom<ObjectResult>(result);
        Assert.Equal(status, objectResult.StatusCode ?? 200);
        return JsonSerializer.SerializeToElement(objectResult.Value, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Paging_through_a_period_returns_exactly_its_decisions_newest_first(int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 10, 20, 0, 0, 0, TimeSpan.Zero); // two month tables: October and November
        var all = new List<ModeDecision>();
        for (var i = 0; i < 120; i++)
        {
            var at = start.AddSeconds(random.Next(0, (int)(Time.GetUtcNow() - start).TotalSeconds));
            var agents = Enumerable.Range(0, 4).Where(_ => random.Next(3) == 0).Select(a => "a" + a).DefaultIfEmpty("a9").ToArray();
            var d = Decision($"d{i:D3}", at, agents);
            all.Add(d);
            await Decisions.AppendAsync(d);
        }

        await Decisions.AppendAsync(Decision("other-queue", start.AddDays(3), "a1") with { QueueId = "loans" });
        for (var k = 0; k < 6; k++)
        {
            var from = start.AddHours(random.Next(0, 30 * 24));
            var to = from.AddHours(random.Next(1, 25 * 24));
            var agent = k % 2 == 0 ? null : "a" + random.Next(4);
            var take = random.Next(1, 30);
            var expected = all.Where(d => d.DecidedAt >= from && d.DecidedAt < to && (agent is null || d.Changes.Any(c => c.AgentId == agent)))
                .OrderByDescending(d => d.DecidedAt).Select(d => d.DecisionId).ToList();

            var got = new List<string>();
            string? continuation = null;
            for (var pages = 0; pages < 200; pages++)
            {
                var page = await Decisions.ListAsync("cards", from, to, agent, take, continuation, maxScanned: 1 + random.Next(40));
                Assert.True(page.Decisions.Count <= take);
                got.AddRange(page.Decisions.Select(d => d.DecisionId));
                continuation = page.Continuation;
                if (continuation is null)
                {
                    break;
                }
            }

            Assert.Null(continuation);
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public async Task The_api_explains_an_agents_mode_from_the_log()
    {
        await Snapshots.SaveLatestAsync(QuietSnapshot("cards", 6));
        await Rebalancer().RebalanceAsync("cards");
        var mode = await Modes.GetAgentModeAsync("cards-agent0000");
        Assert.NotNull(mode);
        Time.Advance(TimeSpan.FromSeconds(5)); // the supervisor asks a moment later ('to' is exclusive)

        var body = await GetAsync("?agentId=cards-agent0000");
        var decision = Assert.Single(body.GetProperty("decisions").EnumerateArray());
        Assert.Equal(mode.DecisionId, decision.GetProperty("decisionId").GetString());
        Assert.Contains(decision.GetProperty("changes").EnumerateArray(), c => c.GetProperty("agentId").GetString() == "cards-agent0000");
        Assert.True(decision.GetProperty("inputs").TryGetProperty("idleAgents", out _));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("continuation").ValueKind);

        // The default period is the last 24 hours: a day later the same decision is outside it, and an explicit period finds it.
        Time.Advance(TimeSpan.FromHours(25));
        Assert.Empty((await GetAsync("")).GetProperty("decisions").EnumerateArray());
        var from = Time.GetUtcNow().AddDays(-2);
        Assert.Single((await GetAsync($"?from={Q(from)}&to={Q(Time.GetUtcNow())}")).GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public async Task Take_pages_with_a_continuation_that_belongs_to_its_period()
    {
        var now = Time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            await Decisions.AppendAsync(Decision($"d{i}", now.AddMinutes(-10 + i), "a1"));
        }

        var first = await GetAsync("?take=2");
        Assert.Equal(["d2", "d1"], first.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("decisionId").GetString()));
        var token = first.GetProperty("continuation").GetString()!;
        var second = await GetAsync("?take=2&continuation=" + Uri.EscapeDataString(token));
        Assert.Equal(["d0"], second.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("decisionId").GetString()));

        // The same token with another period is refused, as is a made-up one.
        var other = await GetAsync($"?from={Q(now.AddDays(-3))}&to={Q(now.AddDays(-2))}&continuation={Uri.EscapeDataString(token)}", 400);
        Assert.True(other.GetProperty("errors").TryGetProperty("continuation", out _));
        Assert.True((await GetAsync("?continuation=abc", 400)).GetProperty("errors").TryGetProperty("continuation", out _));
    }

    [Fact]
    public async Task A_period_holds_a_decision_at_its_start_and_none_at_its_end()
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddHours(1);
        foreach (var (id, at) in new[] { ("before", from.AddTicks(-1)), ("start", from), ("inside", from.AddMinutes(30)), ("last", to.AddTicks(-1)), ("end", to) })
        {
            await Decisions.AppendAsync(Decision(id, at, "a1"));
        }

        var page = await Decisions.ListAsync("cards", from, to, agentId: null, take: 10);
        Assert.Equal(["last", "inside", "start"], page.Decisions.Select(d => d.DecisionId));

        // Across the month boundary too: October's last tick is in a period that ends at November's start, which is not.
        await Decisions.AppendAsync(Decision("october", from.AddTicks(-2), "a1"));
        Assert.Equal(["before", "october"], (await Decisions.ListAsync("cards", from.AddHours(-1), from, null, 10)).Decisions.Select(d => d.DecisionId));
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2026-13-01T00:00:00Z", "to")]
    [InlineData("?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", "to")]
    [InlineData("?from=2026-01-01T00:00:00Z&to=2026-11-27T00:00:00Z", "to")]
    [InlineData("?agentId=a%20b", "agentId")]
    [InlineData("?to=0001-01-01T00:00:00Z", "to")]
    public async Task Bad_input_is_a_400_naming_the_field(string query, string field)
    {
        var body = await GetAsync(query, 400);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Theory]
    [InlineData("?to=0001-01-01T00:00:01Z")]
    [InlineData("?from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z")]
    [InlineData("?from=9999-12-01T00:00:00Z&to=9999-12-31T23:59:59Z")]
    public async Task Periods_at_the_ends_of_the_calendar_read_as_empty(string query)
    {
        await Decisions.AppendAsync(Decision("d1", Time.GetUtcNow().AddMinutes(-1), "a1"));
        var body = await GetAsync(query);
        Assert.Empty(body.GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public async Task The_log_needs_the_supervisor_role()
    {
        Assert.Equal(401, ((ObjectResult)await Function().RunAsync(SupervisorRequests.Get(role: null), "cards")).StatusCode);
        Assert.Equal(403, ((ObjectResult)await Function().RunAsync(SupervisorRequests.Get(role: "agent"), "cards")).StatusCode);
    }
}
