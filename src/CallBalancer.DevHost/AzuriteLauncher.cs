using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CallBalancer.DevHost;

/// <summary>
/// The embedded default storage: starts the Azurite Table service (installing <c>azurite@3.37.0</c> from npm on first
/// use into the git-ignored <c>.tools/azurite</c> folder of the repository) on a free loopback port, in memory unless
/// asked to persist, and stops it on dispose. Used by the dev host and by the integration tests.
/// </summary>
internal sealed class AzuriteLauncher : IAsyncDisposable
{
    /// <summary>The Azurite version installed on first use.</summary>
    public const string AzuriteVersion = "3.37.0";

    // Azurite's well-known development account; it is public and only valid against the emulator.
    /// <summary>The development account's well-known key (the same in every Azurite).</summary>
    internal const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _executable;
    private readonly string? _location;
    private readonly string _service;
    private Process? _process;

    private AzuriteLauncher(string executable, int port, string? location, string service = "table")
    {
        _executable = executable;
        Port = port;
        _location = location;
        _service = service;
    }

    /// <summary>The loopback port the Table service listens on.</summary>
    public int Port { get; }

    /// <summary>CPU time the emulator process has used so far (benchmarks report what a run cost it); zero when not running.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            try
            {
                return _process is { HasExited: false } p ? p.TotalProcessorTime : TimeSpan.Zero;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>True when data is kept on disk (<c>--persist</c>).</summary>
    public bool Persistent => _location is not null;

    /// <summary>The service endpoint of the development account, <c>http://127.0.0.1:{port}/devstoreaccount1</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/devstoreaccount1";

    /// <summary>A connection string for the running emulator.</summary>
    public string ConnectionString => _service == "queue"
        ? $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};QueueEndpoint={Endpoint};"
        : $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint={Endpoint};";

    /// <summary>Installs Azurite if needed and starts it on a free port.</summary>
    /// <param name="persist">Keep data on disk in <c>.azurite/</c> of the repository instead of memory.</param>
    /// <param name="log">Where progress lines go (installation can take a minute the first time).</param>
    /// <param name="cancellationToken">Cancels installation and start-up.</param>
    public static async Task<AzuriteLauncher> StartAsync(bool persist, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var root = RepositoryRoot();
        var executable = await EnsureInstalledAsync(Path.Combine(root, ".tools", "azurite"), log, cancellationToken);
        var location = persist ? Path.Combine(root, ".azurite") : null;
        var launcher = new AzuriteLauncher(executable, FreePort(), location);
        await launcher.StartProcessAsync(cancellationToken);
        return launcher;
    }

    /// <summary>Installs Azurite if needed and starts it on a free port, keeping its data in <paramref name="location"/>.</summary>
    public static async Task<AzuriteLauncher> StartPersistentAsync(string location, CancellationToken cancellationToken = default)
    {
        var executable = await EnsureInstalledAsync(Path.Combine(RepositoryRoot(), ".tools", "azurite"), null, cancellationToken);
        var launcher = new AzuriteLauncher(executable, FreePort(), location);
        await launcher.StartProcessAsync(cancellationToken);
        return launcher;
    }

    /// <summary>Starts Azurite's Queue service (in memory, free port), for the rebalance fan-out tests.</summary>
    public static async Task<AzuriteLauncher> StartQueueServiceAsync(CancellationToken cancellationToken = default)
    {
        var table = await EnsureInstalledAsync(Path.Combine(RepositoryRoot(), ".tools", "azurite"), null, cancellationToken);
        var executable = Path.Combine(Path.GetDirectoryName(table)!, OperatingSystem.IsWindows() ? "azurite-queue.cmd" : "azurite-queue");
        var launcher = new AzuriteLauncher(executable, FreePort(), null, "queue");
        await launcher.StartProcessAsync(cancellationToken);
        return launcher;
    }

    /// <summary>Stops the emulator (its in-memory data is lost unless persistent).</summary>
    public void Stop()
    {
        var p = _process;
        _process = null;
        if (p is null)
        {
            return;
        }

        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            p.Dispose();
        }
    }

    /// <summary>Starts the emulator again on the same port (after <see cref="Stop"/>), as when storage comes back.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Stop();
        return StartProcessAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>The repository root (the folder holding <c>CallBalancer.sln</c>), or the user's profile when run elsewhere.</summary>
    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CallBalancer.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".callbalancer");
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (_location is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(_location);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(_location);
        }

        foreach (var a in new[] { "--silent", "--disableTelemetry", $"--{_service}Host", "127.0.0.1", $"--{_service}Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {_executable}.");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        // Ready when the port accepts connections (Azurite prints nothing with --silent).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                string err;
                lock (stderr)
                {
                    err = stderr.ToString();
                }

                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} on port {Port}: {err}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }

    private static async Task<string> EnsureInstalledAsync(string dir, Action<string>? log, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(dir, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table");
        if (File.Exists(executable))
        {
            return executable;
        }

        Directory.CreateDirectory(dir);

        // Several test processes or a test run and the dev host may start at once: one installs, the others wait.
        await using var installLock = await AcquireLockAsync(Path.Combine(dir, ".install.lock"), cancellationToken);
        if (File.Exists(executable))
        {
            return executable;
        }

        log?.Invoke($"Installing azurite@{AzuriteVersion} from npm into {dir} (first run only)...");
        var psi = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        foreach (var a in new[] { "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", $"azurite@{AzuriteVersion}" })
        {
            psi.ArgumentList.Add(a);
        }

        Process npm;
        try
        {
            npm = Process.Start(psi) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                "npm was not found. Install Node.js, or point the app at a Table service with CallBalancer__Storage__ConnectionString.", ex);
        }

        using (npm)
        {
            var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
            await npm.WaitForExitAsync(cancellationToken);
            if (npm.ExitCode != 0 || !File.Exists(executable))
            {
                throw new InvalidOperationException($"npm install azurite@{AzuriteVersion} failed ({npm.ExitCode}): {await stderr}{await stdout}");
            }
        }

        log?.Invoke("Azurite installed.");
        return executable;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    /// <summary>A loopback port nobody listens on at the moment of the call (the benchmarks, the fuzzer and the tests use it too).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
