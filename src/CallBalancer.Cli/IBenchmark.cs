namespace CallBalancer.Cli;

/// <summary>One benchmark of <c>callbalancer bench NAME</c>. Implementations are discovered by reflection.</summary>
internal interface IBenchmark
{
    /// <summary>The word that selects the benchmark, e.g. <c>erlang</c>.</summary>
    string Name { get; }

    /// <summary>One line for the help text.</summary>
    string Summary { get; }

    /// <summary>Runs the benchmark and returns the object printed as JSON (figures plus the in-run baseline ratio).</summary>
    Task<object> RunAsync(CliArguments args, TextWriter progress, CancellationToken cancellationToken = default);
}
