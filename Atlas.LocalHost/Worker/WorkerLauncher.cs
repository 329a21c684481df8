using System.Diagnostics;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Rpc;
using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Worker;

/// <summary>
/// Starts a worker and walks it through the handshake: StartStream, WorkerInitRequest/Response,
/// FunctionsMetadataRequest (the worker indexes itself) and one FunctionLoadRequest per function.
/// </summary>
internal sealed class WorkerLauncher(WorkerStartInfo info, WorkerRunner runner, WorkerStreamRegistry registry, RpcLogPrinter logPrinter, HostLog log)
{
    private const string Category = "Host.Worker";

    // Informational: Worker 2.52 reads neither the version nor any capability from the init request.
    private const string HostVersion = "4.0.0-atlas-local";

    public async Task<WorkerSession> StartAsync(CancellationToken cancellationToken)
    {
        var workerId = Guid.NewGuid().ToString();
        var connecting = registry.ExpectAsync(workerId);
        var clock = Stopwatch.StartNew();
        var worker = runner.Start(WorkerLaunch.Create(info, workerId), WriteConsoleLine);
        log.Info(Category, $"Started worker {worker.Id} ({Path.GetFileName(info.App.AssemblyPath)}, {runner.GetType().Name}).");

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        abort.CancelAfter(info.StartTimeout);
        var handshake = HandshakeAsync(worker, connecting, clock, abort.Token);
        try
        {
            // A worker that dies during start-up never answers: stop waiting when it exits.
            if (await Task.WhenAny(handshake, worker.Exited).ConfigureAwait(false) != handshake)
            {
                await abort.CancelAsync().ConfigureAwait(false);
            }

            return await handshake.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var why = worker.HasExited
                ? $"exited with code {worker.Exited.Result} during start-up"
                : exception is OperationCanceledException
                    ? $"did not finish its handshake within {info.StartTimeout.TotalSeconds:0} s"
                    : $"failed to start: {exception.Message}";

            registry.Forget(workerId);
            worker.Kill();
            worker.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"The worker {why}.", exception);
        }
    }

    private async Task<WorkerSession> HandshakeAsync(RunningWorker worker, Task<WorkerChannel> connecting, Stopwatch clock, CancellationToken cancellationToken)
    {
        var channel = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            channel.Received += logPrinter.Print;
            var connected = clock.Elapsed;

            var httpUri = await InitializeAsync(channel, cancellationToken).ConfigureAwait(false);
            var initialized = clock.Elapsed;
            var listening = httpUri is null ? Task.CompletedTask : WorkerHttpProbe.WaitUntilListeningAsync(httpUri, cancellationToken);

            var indexed = await GetMetadataAsync(channel, cancellationToken).ConfigureAwait(false);
            var indexedAt = clock.Elapsed;

            var loaded = await LoadAsync(channel, indexed, cancellationToken).ConfigureAwait(false);
            var loadedAt = clock.Elapsed;

            await listening.ConfigureAwait(false);
            var timings = new WorkerStartTimings(connected, initialized, indexedAt, loadedAt, clock.Elapsed);

            log.Info(Category, $"Worker {worker.Id} ready with {loaded.Count} functions ({timings}).");
            return new WorkerSession(worker, channel, httpUri, loaded, timings);
        }
        catch
        {
            channel.Close(new WorkerUnavailableException("The worker did not finish starting."));
            throw;
        }
    }

    private async Task<Uri?> InitializeAsync(WorkerChannel channel, CancellationToken cancellationToken)
    {
        var answer = await channel.RequestAsync(
            new StreamingMessage
            {
                WorkerInitRequest = new WorkerInitRequest
                {
                    HostVersion = HostVersion,
                    WorkerDirectory = info.App.Directory,
                    FunctionAppDirectory = info.App.Directory,
                },
            },
            cancellationToken).ConfigureAwait(false);

        var response = answer.WorkerInitResponse ?? throw Unexpected(answer, "WorkerInitResponse");
        EnsureSuccess(response.Result, "Worker initialization");

        // With the ASP.NET Core integration the worker runs its own Kestrel, already listening, and names it here.
        return response.Capabilities.TryGetValue("HttpUri", out var httpUri) ? new Uri(httpUri) : null;
    }

    private async Task<IReadOnlyList<FunctionDescriptor>> GetMetadataAsync(WorkerChannel channel, CancellationToken cancellationToken)
    {
        var answer = await channel.RequestAsync(
            new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = info.App.Directory } },
            cancellationToken).ConfigureAwait(false);

        var response = answer.FunctionMetadataResponse ?? throw Unexpected(answer, "FunctionMetadataResponse");
        EnsureSuccess(response.Result, "Function indexing");
        if (response.UseDefaultMetadataIndexing)
        {
            throw new NotSupportedException("The worker asked the host to index functions.metadata itself; this host relies on worker indexing.");
        }

        var functions = new List<FunctionDescriptor>();
        foreach (var metadata in response.FunctionMetadataResults)
        {
            if (metadata.Status is { Status: StatusResult.Types.Status.Failure } status)
            {
                log.Error(Category, $"Function '{metadata.Name}' could not be indexed: {status.Exception?.Message}");
                continue;
            }

            functions.Add(FunctionDescriptor.FromMetadata(metadata));
        }

        return functions;
    }

    private async Task<IReadOnlyList<FunctionDescriptor>> LoadAsync(
        WorkerChannel channel,
        IReadOnlyList<FunctionDescriptor> functions,
        CancellationToken cancellationToken)
    {
        // The worker does not offer SupportsLoadResponseCollection, so one request per function; they may overlap.
        var results = await Task.WhenAll(functions.Select(async function =>
        {
            var answer = await channel.RequestAsync(
                new StreamingMessage
                {
                    FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function.Metadata },
                },
                cancellationToken).ConfigureAwait(false);

            var result = answer.FunctionLoadResponse?.Result;
            if (result?.Status != StatusResult.Types.Status.Success)
            {
                log.Error(Category, $"Function '{function.Name}' failed to load: {result?.Exception?.Message}");
                return null;
            }

            return function;
        })).ConfigureAwait(false);

        return [.. results.OfType<FunctionDescriptor>()];
    }

    // Everything useful arrives over gRPC; the console carries only what escapes the logger (crashes, Console.Write).
    private void WriteConsoleLine(string line, bool isError) =>
        log.Write(isError ? LogLevel.Error : LogLevel.Information, isError ? "Worker.Stderr" : "Worker.Stdout", line);

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step} failed in the worker: {result?.Exception?.Message ?? result?.Result}");
        }
    }

    private static InvalidOperationException Unexpected(StreamingMessage answer, string expected) =>
        new($"The worker answered {answer.ContentCase} where {expected} was expected.");
}
