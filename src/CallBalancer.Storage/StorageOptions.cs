using System.ComponentModel.DataAnnotations;

namespace CallBalancer.Storage;

/// <summary>Where the Table service is. Bound from the <c>CallBalancer:Storage</c> section (<c>CallBalancer__Storage__X</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:Storage";

    /// <summary>
    /// A connection string (Azurite locally). When empty, <see cref="TableEndpoint"/> is used with
    /// <c>DefaultAzureCredential</c>. Default: empty.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Table service endpoint in the cloud, e.g. <c>https://acct.table.core.windows.net</c>. Default: empty.</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>The Queue service endpoint in the cloud (rebalance fan-out), e.g. <c>https://acct.queue.core.windows.net</c>. Default: empty.</summary>
    public Uri? QueueEndpoint { get; set; }

    /// <summary>The client id of the user-assigned managed identity to use with <see cref="TableEndpoint"/>. Default: empty (system/default credential chain).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// A prefix for every table name, letters and digits only (tests give each test its own). Default: empty.
    /// </summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,19}$|^$", ErrorMessage = "TablePrefix must be letters and digits, starting with a letter, at most 20.")]
    public string TablePrefix { get; set; } = string.Empty;
}
