using CallBalancer.DevHost;

// Usage: dotnet run --project src/CallBalancer.DevHost [-- --persist] [--urls http://127.0.0.1:7071]
var persist = args.Contains("--persist", StringComparer.Ordinal);
var hostArgs = args.Where(a => a != "--persist").ToArray();

var configured = Environment.GetEnvironmentVariable("CallBalancer__Storage__ConnectionString")
    ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage")
    ?? Environment.GetEnvironmentVariable("CallBalancer__Storage__TableEndpoint");

await using var azurite = configured is null
    ? await AzuriteLauncher.StartAsync(persist, Console.WriteLine)
    : null;

var app = DevHostApplication.Build(hostArgs, azurite?.ConnectionString);
var storage = azurite is null
    ? "configured by environment"
    : $"Azurite {AzuriteLauncher.AzuriteVersion} on 127.0.0.1:{azurite.Port}, {(azurite.Persistent ? "persisted in .azurite/" : "in memory")}";
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var line in DevHostApplication.Describe(app, storage))
    {
        Console.WriteLine(line);
    }
});
await app.RunAsync();
