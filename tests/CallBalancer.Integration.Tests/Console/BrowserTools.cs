using System.Diagnostics;
using CallBalancer.DevHost;

namespace CallBalancer.Integration.Tests.Console;

/// <summary>
/// What the browser test needs, installed on first use like the Azurite launcher does: Debian's <c>chromium</c>
/// (<c>apt-get install -y chromium</c> as root, only when <c>/usr/bin/chromium</c> is missing) and the npm package
/// <c>playwright-core</c> in the git-ignored <c>.tools/playwright</c> folder (it drives a given browser and downloads none).
/// </summary>
internal static class BrowserTools
{
    public const string PlaywrightVersion = "1.65.1";
    public const string Chromium = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string PlaywrightModule => Path.Combine(Dir, "node_modules", "playwright-core");

    private static string Dir => Path.Combine(AzuriteLauncher.RepositoryRoot(), ".tools", "playwright");

    public static async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(Chromium))
            {
                if (Environment.UserName != "root")
                {
                    throw new InvalidOperationException($"{Chromium} is missing; install Debian's chromium (apt-get install -y chromium) as root.");
                }

                await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], cancellationToken, allowFailure: true);
                if (!File.Exists(Chromium))
                {
                    await RunAsync("apt-get", ["update"], cancellationToken);
                    await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], cancellationToken);
                }
            }

            if (!File.Exists(Path.Combine(PlaywrightModule, "package.json")))
            {
                Directory.CreateDirectory(Dir);
                await RunAsync("npm", ["install", "--prefix", Dir, "--no-audit", "--no-fund", "--loglevel=error", $"playwright-core@{PlaywrightVersion}"], cancellationToken);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs a process to completion; returns its standard output.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken, bool allowFailure = false, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}\n{await stdout}");
        }

        return await stdout;
    }
}
