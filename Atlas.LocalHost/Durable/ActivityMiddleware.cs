using System.Globalization;
using System.Text.Json;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Rpc;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Middleware;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// DTFx's activity dispatcher step, as the extension's OutOfProcMiddleware does it: the worker's activity function
/// runs with the scheduled input, and its return value or exception becomes the TaskCompleted or TaskFailed event;
/// next never runs. An invocation the worker could not finish aborts the work item, so it is delivered again.
/// </summary>
internal sealed class ActivityMiddleware(DurableFunctions functions, FunctionInvoker invoker, DurableActivity activity, CancellationToken stopping)
{
    public async Task InvokeAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        var scheduled = context.GetProperty<TaskScheduledEvent>();
        var instance = context.GetProperty<OrchestrationInstance>();
        if (functions.Activity(scheduled.Name ?? string.Empty) is not { } found)
        {
            var message = $"The function '{scheduled.Name}' doesn't exist, is disabled, or is not an activity function.";
            context.SetProperty(new ActivityExecutionResult
            {
                ResponseEvent = new TaskFailedEvent(-1, scheduled.EventId, message, null, new FailureDetails("FunctionNotFound", message, null, null, isNonRetriable: true)),
            });
            return;
        }

        var (function, parameter) = found;
        var invocation = new FunctionInvocation(
            function.Name,
            FunctionInvocation.NewId(),
            $"Activity of orchestration {instance.InstanceId}",
            [new ParameterBinding { Name = parameter, Data = TypedDataValues.String(UnwrapInput(scheduled.Input)) }],
            new Dictionary<string, TypedData> { ["instanceId"] = TypedDataValues.String(instance.InstanceId) });

        activity.ActivityRun();
        var result = await invoker.InvokeAsync(invocation, stopping).ConfigureAwait(false);
        HistoryEvent response = result.Outcome switch
        {
            InvocationOutcome.Succeeded => new TaskCompletedEvent(-1, scheduled.EventId, SerializeOutput(result.Response!)),
            InvocationOutcome.Failed => new TaskFailedEvent(
                -1,
                scheduled.EventId,
                $"Function '{function.Name}' failed with an unhandled exception.",
                null,
                WorkerFailure.Details(result.Response?.Result?.Exception)),
            _ => throw new SessionAbortedException($"Activity '{function.Name}' of {instance.InstanceId} did not finish ({result.Error})."),
        };

        context.SetProperty(new ActivityExecutionResult { ResponseEvent = response });
    }

    // The orchestrator SDK schedules activities through DTFx's context, which wraps the input in a one-element
    // array; the function gets the element's JSON text, as the extension's DurableActivityContext hands it over.
    private static string UnwrapInput(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return "null";
        }

        using var document = JsonDocument.Parse(input);
        return document.RootElement is { ValueKind: JsonValueKind.Array } array && array.GetArrayLength() == 1
            ? array[0].GetRawText()
            : input;
    }

    // The result goes into history as JSON: the worker sends a string result as a string (so it is quoted here),
    // numbers and objects as JSON already.
    private static string? SerializeOutput(InvocationResponse response)
    {
        var value = response.ReturnValue is { DataCase: not TypedData.DataOneofCase.None } returned
            ? returned
            : response.OutputData.FirstOrDefault(output => output.Name == "$return")?.Data;

        return value?.DataCase switch
        {
            TypedData.DataOneofCase.String => JsonSerializer.Serialize(value.String),
            TypedData.DataOneofCase.Json => value.Json,
            TypedData.DataOneofCase.Int => value.Int.ToString(CultureInfo.InvariantCulture),
            TypedData.DataOneofCase.Double => value.Double.ToString("R", CultureInfo.InvariantCulture),
            TypedData.DataOneofCase.Bytes => JsonSerializer.Serialize(value.Bytes.ToBase64()),
            _ => null,
        };
    }
}
