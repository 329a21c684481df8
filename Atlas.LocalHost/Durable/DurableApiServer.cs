using System.Net;
using Atlas.LocalHost.Hosting;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// The Durable Task gRPC API (TaskHubSidecarService) that the worker's <c>[DurableClient]</c> talks to: start, query,
/// raise events, terminate, purge. TaskHubGrpcServer in ApiServerOnly mode serves it over the orchestration service
/// (with the Functions host's own answers where they differ: <see cref="FunctionsDurableApi"/>);
/// the host's own TaskHubWorker dispatches the work. Loopback, OS-chosen port, HTTP/2 only (the client speaks h2c).
/// </summary>
internal sealed class DurableApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DurableApiServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<DurableApiServer> StartAsync(IOrchestrationService service, IOrchestrationServiceClient client, DurableOptions durable, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(grpc =>
        {
            // The client is told the same limit in its binding payload.
            grpc.MaxReceiveMessageSize = int.MaxValue;
            grpc.MaxSendMessageSize = int.MaxValue;
        });
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(client);
        builder.Services.Configure<TaskHubGrpcServerOptions>(options => options.Mode = TaskHubGrpcServerMode.ApiServerOnly);
        builder.Services.AddSingleton(durable);
        builder.Services.AddSingleton<FunctionsDurableApi>();

        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<FunctionsDurableApi>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new DurableApiServer(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
