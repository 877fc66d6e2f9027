using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;

namespace CallBalancer.DevHost;

/// <summary>Calls a function method with the arguments the Functions worker would bind, and writes its result.</summary>
internal static class FunctionInvoker
{
    /// <summary>Maps every HTTP function onto its route. Function keys are not enforced, as with <c>func start</c>.</summary>
    public static void MapHttpFunctions(IEndpointRouteBuilder endpoints, IEnumerable<FunctionEntry> functions)
    {
        foreach (var f in functions.Where(f => f.Http is not null))
        {
            endpoints.MapMethods(f.Route, f.Methods, (HttpContext context) => InvokeHttpAsync(f, context))
                .WithName(f.Name);
        }
    }

    /// <summary>Runs an HTTP function for a request and executes its <see cref="IActionResult"/>.</summary>
    public static async Task InvokeHttpAsync(FunctionEntry function, HttpContext context)
    {
        var instance = ActivatorUtilities.GetServiceOrCreateInstance(context.RequestServices, function.Type);
        var args = function.Method.GetParameters().Select(p => BindHttp(p, context)).ToArray();
        var result = await AwaitResultAsync(function.Method.Invoke(instance, args));
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                throw new InvalidOperationException($"{function.Name} returned {result.GetType().Name}; the dev host executes IActionResult only.");
        }
    }

    /// <summary>Runs a timer function once, in its own DI scope.</summary>
    public static async Task InvokeTimerAsync(FunctionEntry function, IServiceProvider services, TimerInfo timer, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, function.Type);
        var args = function.Method.GetParameters().Select(object? (p) => p.ParameterType == typeof(TimerInfo)
            ? timer
            : p.ParameterType == typeof(CancellationToken)
                ? cancellationToken
                : throw new InvalidOperationException($"The dev host cannot bind parameter '{p.Name}' of timer function {function.Name}.")).ToArray();
        await AwaitResultAsync(function.Method.Invoke(instance, args));
    }

    /// <summary>Runs a queue-triggered function once for a message body, in its own DI scope.</summary>
    public static async Task InvokeQueueAsync(FunctionEntry function, IServiceProvider services, string message, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, function.Type);
        var args = function.Method.GetParameters().Select(object? (p) => p.GetCustomAttributes(typeof(QueueTriggerAttribute), false).Length > 0 && p.ParameterType == typeof(string)
            ? message
            : p.ParameterType == typeof(CancellationToken)
                ? cancellationToken
                : throw new InvalidOperationException($"The dev host cannot bind parameter '{p.Name}' of queue function {function.Name}.")).ToArray();
        await AwaitResultAsync(function.Method.Invoke(instance, args));
    }

    private static object? BindHttp(System.Reflection.ParameterInfo p, HttpContext context)
    {
        if (p.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (p.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        if (context.Request.RouteValues.TryGetValue(p.Name!, out var value) && value is not null)
        {
            return p.ParameterType == typeof(string)
                ? Convert.ToString(value, CultureInfo.InvariantCulture)
                : TypeDescriptor.GetConverter(p.ParameterType).ConvertFromInvariantString(Convert.ToString(value, CultureInfo.InvariantCulture)!);
        }

        if (p.HasDefaultValue)
        {
            return p.DefaultValue;
        }

        throw new InvalidOperationException($"The dev host cannot bind parameter '{p.Name}' ({p.ParameterType.Name}).");
    }

    private static async Task<object?> AwaitResultAsync(object? returned)
    {
        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        var type = task.GetType();
        return type.IsGenericType && type.GetProperty("Result") is { } property && property.PropertyType.Name != "VoidTaskResult"
            ? property.GetValue(task)
            : null;
    }
}
