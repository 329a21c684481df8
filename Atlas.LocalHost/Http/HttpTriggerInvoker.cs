using System.Buffers;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Rpc;
using Atlas.LocalHost.Worker;
using Microsoft.AspNetCore.Http;

namespace Atlas.LocalHost.Http;

/// <summary>
/// Runs an HTTP-triggered function through the worker's ASP.NET Core integration: the request is proxied to
/// the worker's Kestrel and, under the same invocation id, an InvocationRequest goes over gRPC; the worker
/// pairs the two, runs the function and answers on HTTP. The InvocationResponse carries only the outcome.
/// </summary>
internal sealed class HttpTriggerInvoker(WorkerSupervisor workers, FunctionInvoker invoker, HttpMessageInvoker client)
{
    private const string Reason = "This function was programmatically called via the host APIs.";

    // Long enough for a crashed worker to be restarted and reloaded.
    private static readonly TimeSpan WorkerWait = TimeSpan.FromSeconds(60);

    public RequestDelegate HandlerFor(FunctionDescriptor function) => context => InvokeAsync(context, function);

    private async Task InvokeAsync(HttpContext context, FunctionDescriptor function)
    {
        var aborted = context.RequestAborted;
        WorkerSession worker;
        try
        {
            worker = await workers.GetWorkerAsync(aborted).WaitAsync(WorkerWait, aborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await ProblemResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "No worker is running", "The worker did not come back within a minute.").ConfigureAwait(false);
            return;
        }

        if (worker.HttpUri is null)
        {
            await ProblemResponse.WriteAsync(
                context,
                StatusCodes.Status501NotImplemented,
                "HTTP model not supported",
                "The worker did not offer an HttpUri: this host serves HTTP only to workers using ConfigureFunctionsWebApplication.").ConfigureAwait(false);
            return;
        }

        var trigger = (HttpTriggerBinding)function.Trigger;
        var invocation = new FunctionInvocation(
            function.Name,
            FunctionInvocation.NewId(),
            Reason,
            [new ParameterBinding { Name = trigger.Name, Data = new TypedData { Http = new RpcHttp() } }],
            HttpTriggerMetadata.From(context.Request),
            context.Request.Headers.TraceParent.ToString() is { Length: > 0 } traceParent ? traceParent : null);

        // Forward first, then invoke, as the real host does; the worker waits for whichever arrives second.
        using var forward = ForwardedRequest.Create(context, worker.HttpUri, invocation.InvocationId);
        using var invocationCancel = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        string? refused = null;
        var responding = client.SendAsync(forward, aborted);
        var invoking = invoker.InvokeAsync(worker, invocation, invocationCancel.Token, () => refused ?? "The caller went away.");

        HttpResponseMessage response;
        try
        {
            response = await responding.ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            // The worker's Kestrel dropped the request. Almost always the worker is dying under it: wait for its exit,
            // after which the invocation fails as lost (cancelling at once logged "the caller went away" for a caller
            // about to get a 500), and the next request waits for the replacement instead of being sent here too. A
            // worker still running after that refused the request, and would wait 15 s for it: cancel the invocation.
            // 5 s: on a loaded machine a killed worker's exit took over 1 s to be seen, and the loss was then misnamed;
            // its gRPC stream breaking (the invocation ends as lost) says the same and is often seen first.
            await Task.WhenAny(worker.Instance.Exited, invoking, Task.Delay(TimeSpan.FromSeconds(5), aborted)).ConfigureAwait(false);
            if (!worker.Instance.HasExited && !invoking.IsCompleted && !aborted.IsCancellationRequested)
            {
                refused = $"The worker did not take the forwarded request: {exception.Message}";
                await invocationCancel.CancelAsync().ConfigureAwait(false);
            }

            var result = await invoking.ConfigureAwait(false);
            var why = result.Outcome == InvocationOutcome.WorkerLost ? result.Error! : $"The worker did not take the request: {exception.Message}";
            await WriteFailureAsync(context, invocation, why).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            await RelayAsync(context, response, invocation, invoking).ConfigureAwait(false);
        }
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage response, FunctionInvocation invocation, Task<InvocationResult> invoking)
    {
        var aborted = context.RequestAborted;
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false);
            var first = await ReadFirstAsync(body, buffer, aborted).ConfigureAwait(false);

            // A function that throws still gets 200 with an empty body from the worker; only the
            // InvocationResponse says Failure. So an empty body waits for the outcome before answering.
            if (first <= 0)
            {
                var result = await invoking.ConfigureAwait(false);
                if (!result.Succeeded || first < 0)
                {
                    await WriteFailureAsync(context, invocation, result.Error ?? "The worker's response broke off.").ConfigureAwait(false);
                    return;
                }

                ForwardedResponse.CopyHead(response, context.Response);
                return;
            }

            ForwardedResponse.CopyHead(response, context.Response);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, first), aborted).ConfigureAwait(false);
            await body.CopyToAsync(context.Response.Body, aborted).ConfigureAwait(false);
            await context.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            // Part of the body has gone out: all that is left is to cut the caller off.
            context.Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // The caller has its answer; this only lets the invocation finish (and log) before the request ends.
        await invoking.ConfigureAwait(false);
    }

    /// <summary>Bytes read, 0 for an empty body, -1 when the body broke off before any byte.</summary>
    private static async Task<int> ReadFirstAsync(Stream body, byte[] buffer, CancellationToken aborted)
    {
        try
        {
            return await body.ReadAsync(buffer, aborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            return -1;
        }
    }

    private static Task WriteFailureAsync(HttpContext context, FunctionInvocation invocation, string error) =>
        ProblemResponse.WriteAsync(
            context,
            StatusCodes.Status500InternalServerError,
            $"Function '{invocation.FunctionName}' failed",
            FirstLine(error),
            invocation.InvocationId);

    // The stack trace goes to the log; the response says what happened.
    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();
}
