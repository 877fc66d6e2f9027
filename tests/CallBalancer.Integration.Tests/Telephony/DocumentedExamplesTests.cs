using System.Text.Json;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CallBalancer.Integration.Tests.Telephony;

/// <summary>The examples in <c>docs/examples/telephony/</c> are accepted by the endpoints they document.</summary>
public sealed class DocumentedExamplesTests(AzuriteFixture azurite) : TelephonyTestBase(azurite)
{
    internal static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "examples", "telephony", name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException(name);
    }

    [Fact]
    public async Task The_generic_examples_are_accepted_and_counted()
    {
        Assert.Equal(200, Requests.Status(await EventsFunction().RunAsync(Requests.Json(Example("call-arrived.json")))));
        var batch = await EventsFunction().RunAsync(Requests.Json(Example("batch.json")));
        Assert.Equal(200, Requests.Status(batch));
        Assert.Equal(7, Requests.Body(batch).GetProperty("accepted").GetInt32());

        var total = await DayTotalAsync("cards");
        Assert.Equal((2, 1, 1, 1, 1), (total.Arrivals, total.Answered, total.Abandoned, total.AnsweredWithinTarget, total.HandledCalls));
        Assert.Equal(92, total.HandleTimeSeconds, 6);
        Assert.Equal("wrap-up", (await AgentStates.GetAsync("cards", "alice"))!.Value.State);
        Assert.Equal(0, (await Snapshots.GetLatestAsync("cards"))!.WaitingCalls);
    }

    [Fact]
    public async Task The_platform_examples_are_accepted()
    {
        var form = Example("twilio-task-created.form").Trim();
        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(form).Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString()));
        Assert.Equal(204, Requests.Status(await TwilioFunction(authToken: null, requireSignature: false).RunAsync(Form(fields))));

        var connect = await ConnectFunction().RunAsync(Requests.Json(Example("connect-connected-to-agent.json")));
        Assert.Equal(1, Requests.Body(connect).GetProperty("accepted").GetInt32());

        var genesys = await GenesysFunction().RunAsync(Requests.Json(Example("genesys-queue-observation.json")));
        Assert.Equal(1, Requests.Body(genesys).GetProperty("accepted").GetInt32());
        Assert.Equal(3, (await Snapshots.GetLatestAsync("0d9a6c2e-4b1f-4f3a-9c8e-7a5b3d1f2e4c"))!.WaitingCalls);
    }

    [Fact]
    public void The_schema_is_valid_json_listing_every_event_type()
    {
        using var schema = JsonDocument.Parse(Example("../../telephony-events.schema.json"));
        var types = schema.RootElement.GetProperty("$defs").GetProperty("event").GetProperty("properties").GetProperty("type").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()).ToHashSet();
        Assert.True(types.SetEquals(Core.Telephony.TelephonyEventNames.KindNames));
    }
}
