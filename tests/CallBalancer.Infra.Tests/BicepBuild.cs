using System.Diagnostics;

namespace CallBalancer.Infra.Tests;

/// <summary>Runs infra/build.sh, the same compile step a developer and CI run.</summary>
internal static class BicepBuild
{
    // The first run may download the Bicep CLI package from NuGet (~40 MB); later runs take about 2 seconds.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static BicepBuildResult Run(string inputFile, string outputFile)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        startInfo.ArgumentList.Add(RepositoryRoot.Combine("infra", "build.sh"));
        startInfo.ArgumentList.Add(inputFile);
        startInfo.ArgumentList.Add(outputFile);

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("Could not start bash to run infra/build.sh.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"infra/build.sh did not finish within {Timeout}.");
        }

        return new BicepBuildResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

/// <summary>Exit code and output of one infra/build.sh run.</summary>
internal sealed record BicepBuildResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() =>
        $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}
