using System.Reflection;
using Atlas.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Functions;

/// <summary>
/// The app's functions as their attributes declare them: <c>[Function]</c> with its trigger, and for HTTP functions
/// their rate limit and their other attributes (who may call them, which Auth reads; their answers). The Worker SDK
/// reads the same attributes for the deployed metadata; this reads them once at start for the middleware, the OpenAPI
/// document and the tests.
/// </summary>
public sealed class FunctionIndex
{
    private readonly Dictionary<string, HttpFunction> _http;

    private FunctionIndex(IReadOnlyList<HttpFunction> http, IReadOnlyList<QueueFunction> queues, IReadOnlyList<TimerFunction> timers)
    {
        Http = http;
        Queues = queues;
        Timers = timers;
        _http = http.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    public static FunctionIndex App { get; } = Of(typeof(FunctionIndex).Assembly);

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<QueueFunction> Queues { get; }

    public IReadOnlyList<TimerFunction> Timers { get; }

    public HttpFunction? FindHttp(string name) => _http.GetValueOrDefault(name);

    public static FunctionIndex Of(Assembly assembly)
    {
        List<HttpFunction> http = [];
        List<QueueFunction> queues = [];
        List<TimerFunction> timers = [];
        var methods = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);
        foreach (var method in methods)
        {
            var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
            foreach (var parameter in method.GetParameters())
            {
                if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } httpTrigger)
                {
                    http.Add(new HttpFunction(
                        name,
                        [.. (httpTrigger.Methods ?? []).Select(m => m.ToUpperInvariant())],
                        (httpTrigger.Route ?? name).Trim('/'),
                        method.GetCustomAttribute<RateLimitAttribute>()?.Policy,
                        [.. method.GetCustomAttributes()],
                        method));
                }
                else if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queueTrigger)
                {
                    queues.Add(new QueueFunction(name, queueTrigger.QueueName, method));
                }
                else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timerTrigger)
                {
                    timers.Add(new TimerFunction(name, timerTrigger.Schedule, method));
                }
            }
        }

        return new FunctionIndex([.. http.OrderBy(f => f.Name, StringComparer.Ordinal)], queues, timers);
    }
}

/// <summary>An HTTP function: its methods and route under /api, its rate limit, and its method's attributes, read once.</summary>
public sealed record HttpFunction(string Name, IReadOnlyList<string> Methods, string Route, string? RateLimit, IReadOnlyList<Attribute> Attributes, MethodInfo Method);

/// <summary>A queue-triggered function and its queue name as declared (with <c>%Setting%</c> references).</summary>
public sealed record QueueFunction(string Name, string Queue, MethodInfo Method);

/// <summary>A timer-triggered function and its schedule as declared.</summary>
public sealed record TimerFunction(string Name, string Schedule, MethodInfo Method);
