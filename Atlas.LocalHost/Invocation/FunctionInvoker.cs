using System.Diagnostics;
using Atlas.LocalHost.Durable;
using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Rpc;
using Atlas.LocalHost.Worker;
using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Invocation;

/// <summary>
/// Sends invocations to the running worker and logs each one the way <c>func start</c> does. Input bindings the
/// host provides (<c>durableClient</c>) are added to whatever the trigger brought.
/// </summary>
internal sealed class FunctionInvoker(WorkerSupervisor workers, InFlightInvocations inFlight, DurableClientBinding durableClient, HostLog log)
{
    /// <summary>Invokes on the running worker, waiting for one; <paramref name="stopping"/> is the host's, and cancels the
    /// invocation only when the host stops.</summary>
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, CancellationToken stopping)
    {
        var worker = await workers.GetWorkerAsync(stopping).ConfigureAwait(false);
        return await InvokeAsync(worker, invocation, stopping, static () => "The host is stopping.").ConfigureAwait(false);
    }

    /// <summary>Invokes on a given worker: HTTP needs the same worker for the proxied request and the invocation.</summary>
    /// <param name="cancelledBecause">Says, once <paramref name="cancellationToken"/> has fired, who gave up on the invocation
    /// and why: its failure is logged with that.</param>
    public async Task<InvocationResult> InvokeAsync(
        WorkerSession worker,
        FunctionInvocation invocation,
        CancellationToken cancellationToken,
        Func<string> cancelledBecause)
    {
        var category = $"Function.{invocation.FunctionName}";
        if (worker.Find(invocation.FunctionName) is not { } function)
        {
            return new InvocationResult(InvocationOutcome.Failed, null, $"The worker has no function '{invocation.FunctionName}' loaded.");
        }

        var request = new InvocationRequest
        {
            InvocationId = invocation.InvocationId,
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = Activity.Current?.Id ?? invocation.TraceParent ?? string.Empty },
        };
        request.InputData.Add(invocation.Inputs);
        request.InputData.Add(durableClient.InputsFor(function));
        foreach (var (name, value) in invocation.TriggerMetadata)
        {
            request.TriggerMetadata[name] = value;
        }

        log.Info(category, $"Executing 'Functions.{invocation.FunctionName}' (Reason='{invocation.Reason}', Id={invocation.InvocationId})");
        inFlight.Add(invocation.InvocationId, invocation.FunctionName);
        var started = Stopwatch.GetTimestamp();
        var result = await SendAsync(worker, request, cancellationToken, cancelledBecause).ConfigureAwait(false);
        inFlight.Remove(invocation.InvocationId);

        var duration = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var summary = $"Executed 'Functions.{invocation.FunctionName}' ({(result.Outcome == InvocationOutcome.Succeeded ? "Succeeded" : "Failed")}, Id={invocation.InvocationId}, Duration={duration:0}ms)";
        if (result.Succeeded)
        {
            log.Info(category, summary);
            WarnAboutDroppedOutputs(function, result.Response!);
        }
        else
        {
            // The worker has already logged the exception with its stack; one line says why here.
            log.Write(LogLevel.Error, category, $"{summary}: {result.Error?.Split('\n', 2)[0].TrimEnd()}");
        }

        return result;
    }

    // Output bindings (queue, blob, ...) are the host's to carry out and this host carries out none: say so
    // rather than drop them silently. HTTP outputs are answered by the worker's own Kestrel.
    private void WarnAboutDroppedOutputs(Functions.FunctionDescriptor function, InvocationResponse response)
    {
        // A return value bound to an output arrives as return_value, the others as output_data.
        var outputs = response.OutputData.Select(output => (output.Name, output.Data)).Append(("$return", response.ReturnValue));
        foreach (var (name, data) in outputs)
        {
            if (data is { DataCase: not TypedData.DataOneofCase.None }
                && function.Metadata.Bindings.TryGetValue(name, out var binding)
                && binding.Direction != BindingInfo.Types.Direction.In
                && !string.Equals(binding.Type, "http", StringComparison.OrdinalIgnoreCase))
            {
                log.Warn($"Function.{function.Name}", $"Output binding '{name}' ({binding.Type}) was not carried out: this host runs no output bindings.");
            }
        }
    }

    private static async Task<InvocationResult> SendAsync(
        WorkerSession worker,
        InvocationRequest request,
        CancellationToken cancellationToken,
        Func<string> cancelledBecause)
    {
        try
        {
            var response = await worker.Channel.InvokeAsync(request).WaitAsync(cancellationToken).ConfigureAwait(false);
            return response.Result?.Status switch
            {
                // A killed worker's dying answer (its services disposed under the invocation) is not an outcome.
                not StatusResult.Types.Status.Success when worker.Instance.WasKilled =>
                    new InvocationResult(InvocationOutcome.WorkerLost, null, "The worker was killed while it ran the invocation."),
                StatusResult.Types.Status.Success => new InvocationResult(InvocationOutcome.Succeeded, response, null),
                StatusResult.Types.Status.Cancelled => new InvocationResult(InvocationOutcome.Cancelled, response, "The invocation was cancelled."),
                _ => new InvocationResult(InvocationOutcome.Failed, response, Describe(response.Result?.Exception)),
            };
        }
        catch (WorkerUnavailableException exception)
        {
            return new InvocationResult(InvocationOutcome.WorkerLost, null, exception.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker offers HandlesInvocationCancelMessage: tell it, and stop waiting.
            TryCancel(worker, request.InvocationId);
            return new InvocationResult(InvocationOutcome.Cancelled, null, cancelledBecause());
        }
    }

    private static void TryCancel(WorkerSession worker, string invocationId)
    {
        try
        {
            worker.Channel.Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } });
        }
        catch (WorkerUnavailableException)
        {
            // Nothing left to cancel.
        }
    }

    private static string Describe(RpcException? exception) =>
        exception is null
            ? "The worker reported a failure without an exception."
            : $"{(exception.Type.Length > 0 ? exception.Type + ": " : string.Empty)}{exception.Message}{Environment.NewLine}{exception.StackTrace}".TrimEnd();
}
