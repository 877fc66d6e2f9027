using System.Reflection;
using CallBalancer.Cli;

var commands = typeof(ICliCommand).Assembly.GetTypes()
    .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
    .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
    .OrderBy(c => c.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("callbalancer: tools for the CallBalancer call-volume balancer");
    Console.WriteLine();
    foreach (var c in commands)
    {
        Console.WriteLine($"  {c.Name,-10} {c.Summary}");
    }

    return args.Length == 0 ? 1 : 0;
}

var command = commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.OrdinalIgnoreCase));
if (command is null)
{
    Console.Error.WriteLine($"Unknown command '{args[0]}'. Run 'callbalancer --help'.");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    return await command.RunAsync(new CliArguments(args.Skip(1)), Console.Out, cts.Token);
}
catch (CliUsageException ex)
{
    Console.Error.WriteLine($"callbalancer {command.Name}: {ex.Message}");
    return 2;
}
catch (TargetInvocationException ex) when (ex.InnerException is CliUsageException inner)
{
    Console.Error.WriteLine($"callbalancer {command.Name}: {inner.Message}");
    return 2;
}
