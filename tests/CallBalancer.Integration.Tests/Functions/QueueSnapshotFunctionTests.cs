using CallBalancer.Functions.Balancing;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Functions;

public sealed class QueueSnapshotFunctionTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private QueueSnapshotFunction Function => new(Snapshots, Time, NullLogger<QueueSnapshotFunction>.Instance);

    private string Valid(int waiting = 0, double oldest = 0) =>
        $$"""{"observedAt":"{{Time.GetUtcNow():O}}","waitingCalls":{{waiting}},"oldestWaitSeconds":{{oldest}},"agents":[{"agentId":"a1","state":"available"},{"agentId":"a2","state":"on-call"}]}""";

    [Fact]
    public async Task A_valid_snapshot_is_accepted_and_stored()
    {
        var result = await Function.RunAsync(Requests.Json(Valid()), "cards");
        Assert.Equal(202, Requests.Status(result));
        Assert.Equal("accepted", Requests.Body(result).GetProperty("status").GetString());
        var stored = await Snapshots.GetLatestAsync("cards");
        Assert.Equal(2, stored!.Agents.Count);
    }

    [Fact]
    public async Task A_repeated_post_is_answered_as_superseded_and_changes_nothing()
    {
        await Function.RunAsync(Requests.Json(Valid()), "cards");
        var again = await Function.RunAsync(Requests.Json(Valid(waiting: 1, oldest: 5)), "cards");
        Assert.Equal("superseded", Requests.Body(again).GetProperty("status").GetString());
        Assert.Equal(0, (await Snapshots.GetLatestAsync("cards"))!.WaitingCalls);
    }

    [Fact]
    public async Task A_snapshot_stamped_minutes_ahead_does_not_hide_the_emergency_after_it()
    {
        // A platform clock 4 minutes fast, then corrected: before, the early stamp stayed "newest" and the correct
        // snapshots after it, this emergency included, were answered superseded, while its cross-sellers cross-sold.
        string Body(DateTimeOffset at, int waiting, double oldest) =>
            $$"""{"observedAt":"{{at:O}}","waitingCalls":{{waiting}},"oldestWaitSeconds":{{oldest}},"agents":[{"agentId":"a1","state":"available"},{"agentId":"a2","state":"available"},{"agentId":"a3","state":"available"},{"agentId":"a4","state":"available"},{"agentId":"a5","state":"available"}]}""";
        var early = Requests.Body(await Function.RunAsync(Requests.Json(Body(Time.GetUtcNow().AddMinutes(4), 0, 0)), "cards"));
        Assert.Equal(Time.GetUtcNow(), early.GetProperty("observedAt").GetDateTimeOffset()); // stored as received, no later
        await Rebalancer().RebalanceAsync("cards");
        Assert.Contains(await Modes.GetQueueModesAsync("cards"), m => m.State.Mode == Core.Balancing.AgentMode.CrossSell);

        Time.Advance(TimeSpan.FromSeconds(30));
        var emergency = await Function.RunAsync(Requests.Json(Body(Time.GetUtcNow(), 12, 120)), "cards");
        Assert.Equal("accepted", Requests.Body(emergency).GetProperty("status").GetString());
        var decision = await Rebalancer().RebalanceAsync("cards");

        Assert.StartsWith("emergency", decision.Rule, StringComparison.Ordinal);
        Assert.All(await Modes.GetQueueModesAsync("cards"), m => Assert.Equal(Core.Balancing.AgentMode.ServiceOnly, m.State.Mode));
    }

    [Fact]
    public async Task A_snapshot_that_loses_every_race_for_its_row_is_a_409_not_a_500()
    {
        var contended = new CallBalancer.Storage.SnapshotStore(Client(o => o.AddPolicy(new FailingRequests("Snapshots", 412), Azure.Core.HttpPipelinePosition.PerCall)));
        var result = await new QueueSnapshotFunction(contended, Time, NullLogger<QueueSnapshotFunction>.Instance).RunAsync(Requests.Json(Valid()), "cards");

        Assert.Equal(409, Requests.Status(result));
        Assert.Contains("nothing was written", Requests.Body(result).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await Snapshots.GetLatestAsync("cards"));
    }

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "bad json", "{\"observedAt\": ", 400, "observedAt" },
        { "not json at all", "hello", 400, "$" },
        { "wrong type", """{"observedAt":"2026-11-28T10:00:00Z","waitingCalls":"three","oldestWaitSeconds":0,"agents":[]}""", 400, "waitingCalls" },
        { "fraction for a count", """{"observedAt":"2026-11-28T10:00:00Z","waitingCalls":1.5,"oldestWaitSeconds":0,"agents":[]}""", 400, "waitingCalls" },
        { "negative count", """{"observedAt":"2026-11-28T10:00:00Z","waitingCalls":-1,"oldestWaitSeconds":0,"agents":[]}""", 400, "waitingCalls" },
        { "missing fields", """{"agents":[]}""", 400, "observedAt" },
        { "unknown state", """{"observedAt":"2026-11-28T10:00:00Z","waitingCalls":0,"oldestWaitSeconds":0,"agents":[{"agentId":"a1","state":"asleep"}]}""", 400, "agents[0].state" },
        { "duplicate agent", """{"observedAt":"2026-11-28T10:00:00Z","waitingCalls":0,"oldestWaitSeconds":0,"agents":[{"agentId":"a1","state":"available"},{"agentId":"a1","state":"on-call"}]}""", 400, "agents[1].agentId" },
        { "far future", """{"observedAt":"2030-01-01T00:00:00Z","waitingCalls":0,"oldestWaitSeconds":0,"agents":[]}""", 400, "observedAt" },
        { "far past", """{"observedAt":"2001-01-01T00:00:00Z","waitingCalls":0,"oldestWaitSeconds":0,"agents":[]}""", 400, "observedAt" },
        { "null body", "null", 400, "" },
        { "array body", "[]", 400, "$" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_gets_problem_details_naming_the_field_and_writes_nothing(string because, string body, int status, string field)
    {
        var result = await Function.RunAsync(Requests.Json(body), "cards");
        Assert.True(status == Requests.Status(result), because);
        var problem = Assert.IsAssignableFrom<ProblemDetails>(((ObjectResult)result).Value);
        Assert.Contains("application/problem+json", ((ObjectResult)result).ContentTypes);
        if (field.Length > 0)
        {
            Assert.Contains(field, Assert.IsType<ValidationProblemDetails>(problem).Errors.Keys);
        }

        Assert.Null(await Snapshots.GetLatestAsync("cards"));
    }

    [Fact]
    public async Task A_one_megabyte_body_is_413_and_writes_nothing()
    {
        var huge = "{\"agents\":[" + string.Join(',', Enumerable.Repeat("{\"agentId\":\"a\",\"state\":\"available\"}", 30_000)) + "]}";
        var result = await Function.RunAsync(Requests.Json(huge), "cards");
        Assert.Equal(413, Requests.Status(result));
        Assert.Null(await Snapshots.GetLatestAsync("cards"));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var result = await Function.RunAsync(Requests.Json(Valid(), "text/plain"), "cards");
        Assert.Equal(415, Requests.Status(result));
        Assert.Null(await Snapshots.GetLatestAsync("cards"));
    }

    [Fact]
    public async Task An_illegal_queue_id_is_400()
    {
        var result = await Function.RunAsync(Requests.Json(Valid()), "bad#queue");
        Assert.Equal(400, Requests.Status(result));
    }
}
