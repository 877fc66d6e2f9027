using CallBalancer.DevHost;

namespace CallBalancer.Integration.Tests.Infrastructure;

/// <summary>Table storage that refuses every connection at once: the development account on a loopback port nobody listens on.</summary>
internal static class UnreachableStorage
{
    public static string ConnectionString() =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteLauncher.DevAccountKey};TableEndpoint=http://127.0.0.1:{AzuriteLauncher.FreePort()}/devstoreaccount1;";
}
