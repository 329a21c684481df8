using System.Net;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.LocalHost.Http;

/// <summary>The host's public HTTP port: <c>http://localhost:&lt;port&gt;/{routePrefix}/...</c>.</summary>
internal sealed class HttpFrontEnd : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpFrontEnd(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<HttpFrontEnd> StartAsync(int port, HttpFunctionEndpoints endpoints, HostReadiness readiness, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            // The worker's Kestrel names itself; passing its header through is enough.
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddRouting();

        var app = builder.Build();
        app.UseRouting();
        app.Use(NotFoundUnlessFunction);
        app.Use((context, next) => readiness.NotServingBecause is { } reason ? NotServingAsync(context, reason) : next(context));
        ((IEndpointRouteBuilder)app).DataSources.Add(endpoints);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return new HttpFrontEnd(app, new UriBuilder(address) { Host = "localhost" }.Uri);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // Routing answers a known path with the wrong method with its own 405 endpoint; the Functions host
    // answers 404 for anything that is not a function's route and method.
    private static Task NotFoundUnlessFunction(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<FunctionDescriptor>() is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }

    // /api/health included: it is a function, and the app is not healthy until its triggers can run.
    private static Task NotServingAsync(HttpContext context, HostReadiness.NotServing reason)
    {
        context.Response.Headers.RetryAfter = "1";
        return ProblemResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, reason.Title, reason.Detail);
    }
}
