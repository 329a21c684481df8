using Atlas.LocalHost.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;

namespace Atlas.LocalHost.Http;

/// <summary>
/// One route endpoint per HTTP-triggered function: <c>{routePrefix}/{route ?? name}</c> with its methods,
/// so ASP.NET Core routing applies the templates and constraints the way the real host does.
/// </summary>
internal sealed class HttpFunctionEndpoints(string routePrefix, Func<FunctionDescriptor, RequestDelegate> handlerFor) : EndpointDataSource
{
    private readonly Lock _lock = new();
    private IReadOnlyList<Endpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    public override IReadOnlyList<Endpoint> Endpoints => Volatile.Read(ref _endpoints);

    public override IChangeToken GetChangeToken()
    {
        lock (_lock)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public static string RouteTemplate(string routePrefix, FunctionDescriptor function, HttpTriggerBinding trigger)
    {
        var route = (trigger.Route ?? function.Name).Trim('/');
        return routePrefix.Length == 0 ? route : $"{routePrefix}/{route}";
    }

    /// <summary>Replaces the endpoints (at start, and after a worker restart) and tells routing to rebuild.</summary>
    public void Publish(IEnumerable<FunctionDescriptor> functions)
    {
        var endpoints = new List<Endpoint>();
        foreach (var function in functions)
        {
            if (function.Trigger is not HttpTriggerBinding trigger)
            {
                continue;
            }

            var builder = new RouteEndpointBuilder(handlerFor(function), RoutePatternFactory.Parse(RouteTemplate(routePrefix, function, trigger)), order: 0)
            {
                DisplayName = $"Functions.{function.Name}",
            };
            builder.Metadata.Add(function);

            // No methods in the binding means every method.
            if (trigger.Methods.Count > 0)
            {
                builder.Metadata.Add(new HttpMethodMetadata([.. trigger.Methods.Select(method => method.ToUpperInvariant())]));
            }

            endpoints.Add(builder.Build());
        }

        CancellationTokenSource previous;
        lock (_lock)
        {
            Volatile.Write(ref _endpoints, endpoints);
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }
}
