using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace CallBalancer.DevHost;

/// <summary>
/// The functions of the Functions app, found the way the Functions SDK finds them: methods marked
/// <see cref="FunctionAttribute"/>, with an <see cref="HttpTriggerAttribute"/>, <see cref="TimerTriggerAttribute"/> or
/// <see cref="QueueTriggerAttribute"/> parameter. Reading the same attributes is what keeps the dev host's routes and schedules identical to the cloud's.
/// </summary>
internal static class FunctionCatalog
{
    public static IReadOnlyList<FunctionEntry> Discover(Assembly assembly)
    {
        var result = new List<FunctionEntry>();
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (var method in type.GetMethods(BindingFlags.Instance | BindingFlags.Public))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                {
                    continue;
                }

                foreach (var p in method.GetParameters())
                {
                    if (p.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
                    {
                        result.Add(new FunctionEntry(function.Name, type, method, http, null));
                    }
                    else if (p.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
                    {
                        result.Add(new FunctionEntry(function.Name, type, method, null, timer));
                    }
                    else if (p.GetCustomAttribute<QueueTriggerAttribute>() is { } queue)
                    {
                        result.Add(new FunctionEntry(function.Name, type, method, null, null, queue));
                    }
                }
            }
        }

        return result.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }
}
