using System.Text.Json;
using CallBalancer.Cli;
using CallBalancer.Cli.Commands;

namespace CallBalancer.Core.Tests.Queueing;

/// <summary>The <c>erlang</c> and <c>staff</c> commands run directly; their JSON field names are a contract.</summary>
public sealed class QueueingCommandTests
{
    private static async Task<JsonElement> RunJson(ICliCommand command, string args)
    {
        using var output = new StringWriter();
        var code = await command.RunAsync(new CliArguments(args.Split(' ')), output);
        Assert.Equal(0, code);
        return JsonDocument.Parse(output.ToString()).RootElement;
    }

    [Fact]
    public async Task Erlang_json_has_the_contract_fields()
    {
        var json = await RunJson(new ErlangCommand(), "--calls-per-hour 360 --aht 240 --agents 28 --target-seconds 20 --json");
        // reference_values.py: C(28, 24) = 0.33313852799272288, SL20 = 0.7612958139347513, ASA = 19.988311679563373.
        Assert.Equal(0.33313852799272288, json.GetProperty("probWait").GetDouble(), 1e-9);
        Assert.Equal(0.7612958139347513, json.GetProperty("serviceLevel").GetDouble(), 1e-9);
        Assert.Equal(19.988311679563373, json.GetProperty("asaSeconds").GetDouble(), 1e-7);
        Assert.Equal(24.0 / 28, json.GetProperty("occupancy").GetDouble(), 1e-12);
        Assert.False(json.TryGetProperty("abandonRate", out _));
    }

    [Fact]
    public async Task Erlang_with_patience_adds_the_abandon_rate()
    {
        var json = await RunJson(new ErlangCommand(), "--calls-per-hour 360 --aht 240 --agents 28 --target-seconds 20 --patience 120 --json");
        // reference_values.py: Erlang A P(W>0) = 0.20074402396708081, P(Ab) = 0.033088957148059008.
        Assert.Equal(0.20074402396708081, json.GetProperty("probWait").GetDouble(), 1e-9);
        Assert.Equal(0.033088957148059008, json.GetProperty("abandonRate").GetDouble(), 1e-9);
        Assert.Equal(0.89930119853907123, json.GetProperty("serviceLevel").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task Erlang_unstable_queue_reports_null_asa()
    {
        var json = await RunJson(new ErlangCommand(), "--calls-per-hour 360 --aht 240 --agents 24 --json");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("asaSeconds").ValueKind);
        Assert.False(json.GetProperty("stable").GetBoolean());
        Assert.Equal(0, json.GetProperty("serviceLevel").GetDouble());
    }

    [Fact]
    public async Task Staff_json_has_the_contract_fields()
    {
        var json = await RunJson(new StaffCommand(), "--calls-per-hour 360 --aht 240 --target-sl 0.8 --target-seconds 20 --json");
        // reference_values.py: SL20 = 0.76130 with 28 agents, 0.84028 with 29.
        Assert.Equal(29, json.GetProperty("agents").GetInt32());
        Assert.Equal(0.840283145662605, json.GetProperty("serviceLevel").GetDouble(), 1e-9);
    }

    [Theory]
    [InlineData("erlang", "--calls-per-hour 360 --aht 0 --agents 28")]
    [InlineData("erlang", "--calls-per-hour 360 --aht 240")]
    [InlineData("erlang", "--calls-per-hour 360 --aht 240 --agents 28 --patience -5")]
    [InlineData("erlang", "--calls-per-hour x --aht 240 --agents 28")]
    [InlineData("staff", "--calls-per-hour 360 --aht 240 --target-sl 80")]
    [InlineData("staff", "--calls-per-hour 360 --aht 240 --max-abandon 0.05")]
    [InlineData("staff", "--calls-per-hour 1e9 --aht 240")]
    public async Task Bad_usage_is_a_usage_error(string command, string args)
    {
        ICliCommand c = command == "erlang" ? new ErlangCommand() : new StaffCommand();
        await Assert.ThrowsAsync<CliUsageException>(() => c.RunAsync(new CliArguments(args.Split(' ')), TextWriter.Null));
    }
}
