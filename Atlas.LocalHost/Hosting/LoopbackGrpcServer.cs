using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.LocalHost.Hosting;

/// <summary>
/// A gRPC service of the host on loopback, an OS-chosen port, HTTP/2 only, messages of any size: the FunctionRpc
/// endpoint workers connect to, and the Durable API that <c>[DurableClient]</c> calls.
/// </summary>
internal sealed class LoopbackGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackGrpcServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri Address { get; }

    /// <param name="services">What <typeparamref name="TService"/> is built from.</param>
    public static async Task<LoopbackGrpcServer> StartAsync<TService>(Action<IServiceCollection> services, CancellationToken cancellationToken)
        where TService : class
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // The clients speak h2c (prior knowledge): with Http1AndHttp2 on plaintext they fail with HTTP_1_1_REQUIRED.
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(grpc =>
        {
            // The worker is told --functions-grpc-max-message-length 2147483647, the Durable client the same.
            grpc.MaxReceiveMessageSize = int.MaxValue;
            grpc.MaxSendMessageSize = int.MaxValue;
        });
        services(builder.Services);

        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<TService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LoopbackGrpcServer(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
