using CallBalancer.DevHost;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CallBalancer.Integration.Tests.DevHost;

/// <summary>Settings that cannot work together stop the host at start, with the setting named, instead of failing every run.</summary>
public sealed class ConfigurationCheckTests
{
    [Theory]
    [InlineData("Asia/Kolkata", 60, false)]
    [InlineData("Asia/Kolkata", 15, true)]
    public async Task A_time_zone_whose_offset_is_off_the_interval_grid_stops_the_host_at_start(string zone, int minutes, bool starts)
    {
        var port = AzuriteLauncher.FreePort();
        await using var app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", "--CallBalancer:DevHost:RunTriggers=false",
             $"--CallBalancer:Forecast:TimeZone={zone}", $"--CallBalancer:Telephony:IntervalMinutes={minutes}"],
            UnreachableStorage.ConnectionString());

        var failure = await Record.ExceptionAsync(() => app.StartAsync());

        if (starts)
        {
            Assert.Null(failure);
            await app.StopAsync();
        }
        else
        {
            var refused = Assert.IsType<OptionsValidationException>(failure);
            Assert.Contains("CallBalancer:Forecast:TimeZone", refused.Message, StringComparison.Ordinal);
        }
    }
}
