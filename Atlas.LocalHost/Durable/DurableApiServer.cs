using Atlas.LocalHost.Hosting;
using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// The Durable Task gRPC API (TaskHubSidecarService) that the worker's <c>[DurableClient]</c> talks to: start, query,
/// raise events, terminate, purge. TaskHubGrpcServer in ApiServerOnly mode serves it over the orchestration service
/// (with the Functions host's own answers where they differ: <see cref="FunctionsDurableApi"/>); the host's own
/// TaskHubWorker dispatches the work.
/// </summary>
internal static class DurableApiServer
{
    public static Task<LoopbackGrpcServer> StartAsync(
        IOrchestrationService service, IOrchestrationServiceClient client, DurableOptions durable, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        LoopbackGrpcServer.StartAsync<FunctionsDurableApi>(
            services =>
            {
                services.AddSingleton(loggerFactory);
                services.AddSingleton(service);
                services.AddSingleton(client);
                services.AddSingleton(durable);
                services.Configure<TaskHubGrpcServerOptions>(options => options.Mode = TaskHubGrpcServerMode.ApiServerOnly);
                services.AddSingleton<FunctionsDurableApi>();
            },
            cancellationToken);
}
