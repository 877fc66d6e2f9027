using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace CallBalancer.DevHost;

/// <summary>One function: its name, class, method and trigger (exactly one of <see cref="Http"/>, <see cref="Timer"/>, <see cref="Queue"/>).</summary>
internal sealed record FunctionEntry(string Name, Type Type, MethodInfo Method, HttpTriggerAttribute? Http, TimerTriggerAttribute? Timer, QueueTriggerAttribute? Queue = null)
{
    /// <summary>The route under <c>/api</c> (the function name when the trigger names none, as in Azure Functions).</summary>
    public string Route => "/api/" + (Http?.Route ?? Name);

    /// <summary>HTTP methods, upper case; all common ones when the trigger names none.</summary>
    public IReadOnlyList<string> Methods =>
        Http?.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToList() : ["GET", "POST", "PUT", "DELETE", "PATCH"];
}
