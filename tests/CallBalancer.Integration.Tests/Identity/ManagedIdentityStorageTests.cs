using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using CallBalancer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallBalancer.Integration.Tests.Identity;

/// <summary>
/// The cloud path: with a Table or Queue endpoint setting and no connection string, storage is reached with
/// <c>DefaultAzureCredential</c> and the user-assigned identity. The test stands in for the Functions platform's managed
/// identity endpoint (<c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c>, what App Service and Flex Consumption set) on
/// loopback, and catches the storage requests before they leave the process: each carries that endpoint's bearer token
/// and no shared key, and the token was asked for the storage audience and the configured client id. It changes
/// process-wide environment variables, so it runs on its own.
/// </summary>
[Collection(ManagedIdentityCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ManagedIdentityStorageTests : IAsyncLifetime
{
    private const string ClientId = "0c0ffee0-1111-2222-3333-444455556666";
    private const string IdentityHeader = "identity-header-secret";
    private readonly ConcurrentQueue<(string? Resource, string? ClientId, string? Header)> _tokenRequests = new();
    private readonly Dictionary<string, string?> _savedEnvironment = new(StringComparer.Ordinal);
    private WebApplication _identityEndpoint = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _identityEndpoint = builder.Build();
        _identityEndpoint.MapGet("/msi/token", (HttpContext context) =>
        {
            var resource = context.Request.Query["resource"].FirstOrDefault() ?? string.Empty;
            _tokenRequests.Enqueue((resource, context.Request.Query["client_id"].FirstOrDefault(), context.Request.Headers["X-IDENTITY-HEADER"].FirstOrDefault()));
            return Results.Json(new Dictionary<string, string>
            {
                ["access_token"] = "token-from-the-identity-endpoint",
                ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["resource"] = resource,
                ["token_type"] = "Bearer",
                ["client_id"] = ClientId,
            });
        });
        await _identityEndpoint.StartAsync();

        foreach (var (name, value) in new[]
        {
            ("IDENTITY_ENDPOINT", _identityEndpoint.Urls.Single() + "/msi/token"),
            ("IDENTITY_HEADER", IdentityHeader),
            ("MSI_ENDPOINT", null), ("MSI_SECRET", null), ("AZURE_CLIENT_SECRET", null), ("AZURE_TENANT_ID", null),
            ("AZURE_CLIENT_ID", null), ("AZURE_FEDERATED_TOKEN_FILE", null), ("AZURE_TOKEN_CREDENTIALS", null),
        })
        {
            _savedEnvironment[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in _savedEnvironment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await _identityEndpoint.DisposeAsync();
    }

    [Fact]
    public async Task Tables_and_the_work_queue_are_reached_with_the_managed_identity_token_and_no_key()
    {
        var options = new StorageOptions
        {
            TableEndpoint = new Uri("https://stcallbalancer.table.core.windows.net"),
            QueueEndpoint = new Uri("https://stcallbalancer.queue.core.windows.net"),
            ManagedIdentityClientId = ClientId,
        };
        var storage = new CapturedStorage();

        var tables = new CallBalancerTables(options, o => o.Transport = new HttpClientTransport(storage));
        var entity = await tables.Service.GetTableClient("AgentModes").GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("q1", "a1");
        Assert.False(entity.HasValue);

        var queue = new StorageRebalanceWorkQueue(options, "rebalance-work", o => o.Transport = new HttpClientTransport(storage));
        var (name, length) = await queue.GetLengthAsync();
        Assert.Equal(("rebalance-work", 3), (name, length));

        var tableRequest = Assert.Single(storage.Requests, r => r.Uri.Host == "stcallbalancer.table.core.windows.net");
        var queueRequest = Assert.Single(storage.Requests, r => r.Uri.Host == "stcallbalancer.queue.core.windows.net");
        foreach (var r in new[] { tableRequest, queueRequest })
        {
            Assert.Equal("Bearer token-from-the-identity-endpoint", r.Authorization);
            Assert.DoesNotContain("SharedKey", r.Authorization ?? string.Empty, StringComparison.Ordinal);
        }

        // The token came from the platform's identity endpoint, for storage, as the user-assigned identity.
        Assert.NotEmpty(_tokenRequests);
        Assert.All(_tokenRequests, t =>
        {
            Assert.Equal(IdentityHeader, t.Header);
            Assert.Equal(ClientId, t.ClientId);
            Assert.Equal("https://storage.azure.com", t.Resource);
        });
    }

    [Fact]
    public void Without_an_endpoint_or_a_connection_string_the_table_client_is_refused_with_the_settings_to_set()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new CallBalancerTables(new StorageOptions()));
        Assert.Contains("CallBalancer__Storage__TableEndpoint", ex.Message, StringComparison.Ordinal);
        var queue = new StorageRebalanceWorkQueue(new StorageOptions { TableEndpoint = new Uri("https://x.table.core.windows.net") }, "rebalance-work");
        Assert.Contains("QueueEndpoint", Assert.Throws<InvalidOperationException>(() => queue.Client).Message, StringComparison.Ordinal);
    }

    /// <summary>Answers storage requests in process: 404 for an entity, queue properties with three messages.</summary>
    private sealed class CapturedStorage : HttpMessageHandler
    {
        private readonly ConcurrentQueue<(Uri Uri, string? Authorization)> _requests = new();

        public IReadOnlyList<(Uri Uri, string? Authorization)> Requests => [.. _requests];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _requests.Enqueue((request.RequestUri!, request.Headers.Authorization?.ToString()));
            HttpResponseMessage response;
            if (request.RequestUri!.Host.Contains(".queue.", StringComparison.Ordinal))
            {
                response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(string.Empty) };
                response.Headers.Add("x-ms-approximate-messages-count", "3");
            }
            else
            {
                response = new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = new StringContent("{\"odata.error\":{\"code\":\"ResourceNotFound\",\"message\":{\"lang\":\"en-US\",\"value\":\"Not found.\"}}}",
                        Encoding.UTF8, "application/json"),
                };
                response.Headers.Add("x-ms-error-code", "ResourceNotFound");
            }

            response.Headers.Add("x-ms-request-id", Guid.NewGuid().ToString());
            return Task.FromResult(response);
        }
    }
}

/// <summary>Tests that change process-wide environment variables: run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedIdentityCollection
{
    public const string Name = "ManagedIdentity";
}
