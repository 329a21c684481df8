using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Grpc.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Microsoft.DurableTask.Protobuf;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// The Durable gRPC API as the Functions host's Durable extension answers it (its LocalGrpcListener over the Azure
/// Storage provider), where that differs from the test sidecar: a start ignores the client's reuse policy and refuses
/// an id whose instance is still running (host.json <c>overridableExistingInstanceStates</c>; a finished one is
/// replaced), and an event to an instance that does not exist is dropped, while one to a finished instance fails.
/// </summary>
internal sealed class FunctionsDurableApi(
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    IOrchestrationService service,
    IOrchestrationServiceClient orchestrations,
    IOptions<TaskHubGrpcServerOptions> options,
    DurableOptions durable)
    : TaskHubGrpcServer(lifetime, loggerFactory, service, orchestrations, options)
{
    private readonly IOrchestrationServiceClient _client = orchestrations;

    // The extension's NonRunningStates: these instances are not replaced by a start with their id.
    private static readonly OrchestrationStatus[] Running =
        [OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Pending, OrchestrationStatus.Suspended];

    public override async Task<P.CreateInstanceResponse> StartInstance(P.CreateInstanceRequest request, ServerCallContext context)
    {
        var instance = new OrchestrationInstance
        {
            InstanceId = string.IsNullOrEmpty(request.InstanceId) ? Guid.NewGuid().ToString("N") : request.InstanceId,
            ExecutionId = Guid.NewGuid().ToString("N"),
        };

        try
        {
            await _client.CreateTaskOrchestrationAsync(
                new TaskMessage
                {
                    Event = new DurableTask.Core.History.ExecutionStartedEvent(-1, request.Input)
                    {
                        Name = request.Name,
                        Version = request.Version,
                        OrchestrationInstance = instance,
                        Tags = request.Tags.ToDictionary(tag => tag.Key, tag => tag.Value),
                        ScheduledStartTime = request.ScheduledStartTimestamp?.ToDateTime(),
                    },
                    OrchestrationInstance = instance,
                },
                durable.ReplaceFinishedInstancesOnly ? Running : []).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OrchestrationAlreadyExistsException
            || (exception is InvalidOperationException && exception.Message.EndsWith("already exists.", StringComparison.Ordinal)))
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"An Orchestration instance with the ID {instance.InstanceId} already exists."));
        }

        return new P.CreateInstanceResponse { InstanceId = instance.InstanceId };
    }

    public override async Task<P.RaiseEventResponse> RaiseEvent(P.RaiseEventRequest request, ServerCallContext context)
    {
        var state = await _client.GetOrchestrationStateAsync(request.InstanceId, executionId: null).ConfigureAwait(false);
        if (state is null)
        {
            return new P.RaiseEventResponse();
        }

        if (state.OrchestrationStatus is not (OrchestrationStatus.Running or OrchestrationStatus.Pending or OrchestrationStatus.ContinuedAsNew))
        {
            // Thrown, as the extension throws it: the client sees the gRPC status Unknown.
            throw new InvalidOperationException(
                $"Cannot raise event {request.Name} for orchestration instance {request.InstanceId} because instance is in {state.OrchestrationStatus} state");
        }

        await _client.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            Event = new DurableTask.Core.History.EventRaisedEvent(-1, request.Input) { Name = request.Name },
            OrchestrationInstance = new OrchestrationInstance { InstanceId = request.InstanceId },
        }).ConfigureAwait(false);
        return new P.RaiseEventResponse();
    }
}
