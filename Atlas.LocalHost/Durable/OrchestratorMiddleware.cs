using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Rpc;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Middleware;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// DTFx's orchestration dispatcher step, done the way the extension's OutOfProcMiddleware does it: the worker's
/// orchestrator function replays the history (an OrchestratorRequest) and answers with the actions to take; DTFx's
/// own executor (next) never runs. An orchestrator that throws is an answer too (a failed completion action); an
/// invocation the worker could not finish aborts the session, and DTFx delivers the same messages again.
/// </summary>
internal sealed class OrchestratorMiddleware(DurableFunctions functions, FunctionInvoker invoker, DurableActivity activity, CancellationToken stopping)
{
    public async Task InvokeAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        var state = context.GetProperty<OrchestrationRuntimeState>();
        var instance = context.GetProperty<OrchestrationInstance>();
        if (functions.Orchestrator(state.Name) is not { } found)
        {
            context.SetProperty(Failed(
                $"The function '{state.Name}' doesn't exist, is disabled, or is not an orchestrator function.",
                new FailureDetails("FunctionNotFound", $"No orchestrator function named '{state.Name}'.", null, null, isNonRetriable: true)));
            return;
        }

        var (function, parameter) = found;
        var request = new P.OrchestratorRequest
        {
            InstanceId = instance.InstanceId,
            PastEvents = { PastEvents(state).Select(ProtobufUtils.ToHistoryEventProto) },
            NewEvents = { state.NewEvents.Select(ProtobufUtils.ToHistoryEventProto) },
        };

        var invocation = new FunctionInvocation(
            function.Name,
            FunctionInvocation.NewId(),
            $"Orchestration {instance.InstanceId} ({state.NewEvents.Count} new event(s))",
            [new ParameterBinding { Name = parameter, Data = TypedDataValues.String(ProtobufUtils.Base64Encode(request)) }],
            new Dictionary<string, TypedData>());

        activity.Episode();
        var result = await invoker.InvokeAsync(invocation, stopping).ConfigureAwait(false);
        var executed = ToExecutionResult(function.Name, instance.InstanceId, result);
        if (executed.Actions.OfType<OrchestrationCompleteOrchestratorAction>().Any(done => done.OrchestrationStatus != OrchestrationStatus.ContinuedAsNew))
        {
            activity.OrchestrationFinished();
        }

        context.SetProperty(executed);
    }

    // In an extended session DTFx keeps the runtime state between episodes and clears only NewEvents, so the last
    // episode's events are in Events but not in PastEvents. The worker is sent the whole history every time (the
    // extension can leave it out when the worker has cached it; that saves the worker's CPU, not storage).
    private static IEnumerable<HistoryEvent> PastEvents(OrchestrationRuntimeState state) =>
        state.Events.Take(state.Events.Count - state.NewEvents.Count);

    private static OrchestratorExecutionResult ToExecutionResult(string functionName, string instanceId, InvocationResult result)
    {
        switch (result.Outcome)
        {
            case InvocationOutcome.Succeeded:
                var encoded = result.Response?.ReturnValue is { DataCase: TypedData.DataOneofCase.String } value ? value.String : null;
                if (string.IsNullOrEmpty(encoded))
                {
                    return Failed(
                        $"Function '{functionName}' returned no orchestrator response.",
                        new FailureDetails("InvalidOperationException", "The orchestrator function returned no OrchestratorResponse: is it a Durable orchestrator?", null, null, isNonRetriable: true));
                }

                var response = P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(encoded));
                return new OrchestratorExecutionResult
                {
                    Actions = [.. response.Actions.Select(ProtobufUtils.ToOrchestratorAction)],
                    CustomStatus = response.CustomStatus,
                };

            case InvocationOutcome.Failed:
                // The worker catches what orchestrator code throws, so this is a binding or SDK failure: final, as in
                // the extension, which fails the orchestration rather than replaying it for ever.
                return Failed($"Function '{functionName}' failed with an unhandled exception.", WorkerFailure.Details(result.Response?.Result?.Exception));

            default:
                // The worker died, or the host is stopping: nothing was decided. Abandoning the work item puts its
                // messages back for a retry.
                throw new SessionAbortedException($"Orchestration {instanceId}: the invocation of '{functionName}' did not finish ({result.Error}).");
        }
    }

    private static OrchestratorExecutionResult Failed(string message, FailureDetails details) => new()
    {
        Actions =
        [
            new OrchestrationCompleteOrchestratorAction
            {
                OrchestrationStatus = OrchestrationStatus.Failed,
                Result = message,
                FailureDetails = details,
            },
        ],
    };
}
