using Azure.Core;
using Azure.Identity;

namespace CallBalancer.Storage;

/// <summary>
/// The credential for storage in the cloud (no connection string, an endpoint setting): <see cref="DefaultAzureCredential"/>,
/// pinned to the user-assigned managed identity when <see cref="StorageOptions.ManagedIdentityClientId"/> is set. On
/// Azure Functions it gets its token from the platform's identity endpoint (<c>IDENTITY_ENDPOINT</c>); elsewhere the
/// chain tries environment, workload identity, Azure CLI and the other developer credentials.
/// </summary>
public static class StorageCredential
{
    /// <summary>Creates the credential for <paramref name="options"/>.</summary>
    public static TokenCredential Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
        });
    }
}
