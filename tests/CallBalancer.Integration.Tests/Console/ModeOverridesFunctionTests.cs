using CallBalancer.Functions.Supervision;
using CallBalancer.Integration.Tests.Infrastructure;
using CallBalancer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallBalancer.Integration.Tests.Console;

public sealed class ModeOverridesFunctionTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private SupervisionStore Store => new(Tables);

    private ModeOverridesFunction Function() => new(Store, SupervisorRequests.DevAuth(), Time, NullLogger<ModeOverridesFunction>.Instance);

    private static Microsoft.AspNetCore.Http.HttpRequest Post(string json, string? role = "supervisor") => SupervisorRequests.Json(json, "POST", role);

    [Fact]
    public async Task Overrides_are_set_listed_cleared_and_each_change_is_audited()
    {
        var until = Time.GetUtcNow().AddHours(1);
        var agent = await Function().SetAsync(Post($$"""{"scope":"agent","agentId":"a1","mode":"cross-sell","until":"{{until:O}}","reason":"coaching"}"""), "cards");
        Assert.Equal(201, Requests.Status(agent));
        Assert.Equal("agent:a1", Requests.Body(agent).GetProperty("id").GetString());
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(201, Requests.Status(await Function().SetAsync(Post("""{"scope":"freeze","reason":"system migration"}"""), "cards")));

        var list = Requests.Body(await Function().ListAsync(SupervisorRequests.Get(), "cards")).GetProperty("overrides");
        Assert.Equal(["agent:a1", "freeze"], list.EnumerateArray().Select(o => o.GetProperty("id").GetString()).Order());

        var clear = SupervisorRequests.As(Requests.Get(), "supervisor");
        clear.Method = "DELETE";
        clear.QueryString = new Microsoft.AspNetCore.Http.QueryString("?reason=done");
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(204, Requests.Status(await Function().ClearAsync(clear, "cards", "freeze")));
        Assert.Equal(404, Requests.Status(await Function().ClearAsync(clear, "cards", "freeze")));

        var audit = await Store.ListAuditAsync("cards", 10);
        Assert.Equal(["override-cleared", "override-set", "override-set"], audit.Select(a => a.Kind));
        Assert.Equal(("freeze", "done"), (audit[0].Subject, audit[0].Reason));
        Assert.Null(audit[0].NewJson);
        Assert.Contains("\"cross-sell\"", audit[2].NewJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_overrides_name_each_field_and_write_nothing()
    {
        var result = await Function().SetAsync(Post("""{"scope":"agent","agentId":"bad/id","mode":"selling","until":"2020-01-01T00:00:00Z","reason":" "}"""), "cards");
        Assert.Equal(400, Requests.Status(result));
        var errors = Requests.Body(result).GetProperty("errors");
        Assert.Equal(["agentId", "mode", "reason", "until"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(400, Requests.Status(await Function().SetAsync(Post("""{"scope":"freeze","mode":"cross-sell","reason":"x"}"""), "cards")));
        Assert.Equal(403, Requests.Status(await Function().SetAsync(Post("""{"scope":"freeze","reason":"x"}""", role: "telephony"), "cards")));
        Assert.Empty(await Store.ListAuditAsync("cards", 10));
        Assert.Same(QueueSupervision.None, await Store.GetAsync("cards"));
    }

    [Fact]
    public async Task A_misspelt_until_is_refused_rather_than_read_as_until_cleared()
    {
        var until = Time.GetUtcNow().AddHours(1);
        var result = await Function().SetAsync(Post($$"""{"scope":"queue","mode":"service-only","untill":"{{until:O}}","reason":"peak for an hour"}"""), "cards");

        Assert.Equal(400, Requests.Status(result));
        Assert.Contains("'untill' is not a field", Requests.Body(result).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await Store.GetAsync("cards")).Overrides);
        Assert.Empty(await Store.ListAuditAsync("cards", 10));
    }

    [Fact]
    public async Task A_replaced_override_keeps_the_old_one_in_the_audit()
    {
        await Function().SetAsync(Post("""{"scope":"queue","mode":"service-only","reason":"peak"}"""), "cards");
        Time.Advance(TimeSpan.FromMinutes(5));
        await Function().SetAsync(Post("""{"scope":"queue","mode":"cross-sell","reason":"peak over"}"""), "cards");
        var state = await Store.GetAsync("cards");
        Assert.Equal("cross-sell", Assert.Single(state.Overrides).Mode is { } m ? Core.Balancing.AgentStateNames.ToName(m) : null);
        var latest = (await Store.ListAuditAsync("cards", 1))[0];
        Assert.Contains("service-only", latest.OldJson, StringComparison.Ordinal);
        Assert.Contains("cross-sell", latest.NewJson, StringComparison.Ordinal);
    }
}
