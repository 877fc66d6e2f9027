namespace CallBalancer.Cli;

/// <summary>One sub-command of the <c>callbalancer</c> tool. Implementations are discovered by reflection.</summary>
internal interface ICliCommand
{
    /// <summary>The word that selects the command, e.g. <c>erlang</c>.</summary>
    string Name { get; }

    /// <summary>One line for the help text.</summary>
    string Summary { get; }

    /// <summary>Runs the command; returns the process exit code.</summary>
    Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken = default);
}
