using System.Net;
using CallBalancer.DevHost;
using CallBalancer.Functions.Http;
using CallBalancer.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>Over HTTP through the dev host: supervisor endpoints refuse everyone unless dev auth stands in for App Service authentication.</summary>
public sealed class DevAuthTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    private async Task<(HttpStatusCode Settings, HttpStatusCode Page, HttpStatusCode OpenApi)> ProbeAsync(string principalHeader, params string[] args)
    {
        var port = AzuriteLauncher.FreePort();
        await using var app = DevHostApplication.Build(
            [$"--urls=http://127.0.0.1:{port}", $"--CallBalancer:Storage:TablePrefix={Prefix}", "--REBALANCE_SCHEDULE=0 0 0 1 1 *", .. args],
            Azurite.ConnectionString);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/queues/cards/settings");
            if (principalHeader.Length > 0)
            {
                request.Headers.Add(SupervisorPrincipal.HeaderName, principalHeader);
            }

            var settings = (await http.SendAsync(request)).StatusCode;
            return (settings, (await http.GetAsync("/api/dashboard")).StatusCode, (await http.GetAsync("/api/openapi.json")).StatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task By_default_the_principal_header_is_ignored_and_settings_are_refused()
    {
        var supervisor = SupervisorPrincipal.Encode("sue", "supervisor");
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK), await ProbeAsync(supervisor));
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(supervisor, "--CallBalancer:DevAuth:Enabled=true")).Settings);
        Assert.Equal(HttpStatusCode.Forbidden, (await ProbeAsync(SupervisorPrincipal.Encode("tom", "agent"), "--CallBalancer:DevAuth:Enabled=true")).Settings);
    }

    [Fact]
    public async Task A_configured_dev_user_signs_in_a_plain_browser()
    {
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(string.Empty,
            "--CallBalancer:DevAuth:Enabled=true", "--CallBalancer:DevAuth:User=me", "--CallBalancer:DevAuth:Roles=supervisor")).Settings);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ProbeAsync(string.Empty, "--CallBalancer:DevAuth:User=me", "--CallBalancer:DevAuth:Roles=supervisor")).Settings);
    }
}
