using System.Security.Cryptography;
using System.Text;
using Atlas.LocalHost.Configuration;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Hosting;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging;

namespace Atlas.LocalHost.Durable;

/// <summary>
/// Durable Functions for the app: DTFx's Azure Storage provider on the app's storage account runs the task hub, a
/// TaskHubWorker hands each orchestration and activity step to the worker's functions, and the Durable gRPC API
/// serves <c>[DurableClient]</c>.
/// </summary>
internal sealed class DurableEngine : IAsyncDisposable
{
    private const string Category = "Host.Durable";

    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);

    private readonly TaskHubWorker _worker;
    private readonly LoopbackGrpcServer _api;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stopping;
    private readonly DurableActivity _activity;
    private readonly HostLog _log;

    private DurableEngine(string taskHub, TaskHubWorker worker, LoopbackGrpcServer api, DurableActivity activity, ILoggerFactory loggerFactory, CancellationTokenSource stopping, HostLog log)
    {
        _log = log;
        TaskHub = taskHub;
        _activity = activity;
        _worker = worker;
        _api = api;
        _loggerFactory = loggerFactory;
        _stopping = stopping;
    }

    public string TaskHub { get; }

    /// <summary>The Durable Task gRPC API, as <c>[DurableClient]</c> reaches it.</summary>
    public Uri ApiAddress => _api.Address;

    public DurableActivitySnapshot Activity => _activity.Snapshot();

    /// <summary>
    /// Starts the engine and publishes the client binding; or, when the app's settings do not allow it (no storage
    /// connection, an unresolved hub name, storage unreachable), says why and returns null: the rest of the app runs.
    /// </summary>
    public static async Task<DurableEngine?> StartAsync(
        IReadOnlyList<FunctionDescriptor> functions,
        FunctionApp app,
        AppSettings settings,
        FunctionInvoker invoker,
        DurableClientBinding clientBinding,
        Uri httpBaseAddress,
        HostLog log,
        CancellationToken cancellationToken)
    {
        var options = app.HostJson.Durable;
        if (settings.ConnectionString(options.ConnectionName) is not { Length: > 0 } connectionString)
        {
            log.Error(Category, $"Durable functions will not run: the storage connection '{options.ConnectionName}' is not set.");
            return null;
        }

        string taskHub;
        try
        {
            taskHub = settings.Resolve(options.HubName);
        }
        catch (InvalidOperationException exception)
        {
            log.Error(Category, $"Durable functions will not run: the task hub name {exception.Message}");
            return null;
        }

        var loggerFactory = HostLoggerProvider.CreateFactory(log);
        var workerId = WorkerIdFor(app.Directory);
        var activity = new DurableActivity();
        var service = new AzureStorageOrchestrationService(options.ToSettings(taskHub, CountedStorage(connectionString, taskHub, activity), workerId, loggerFactory));
        var index = new DurableFunctions(functions, settings);
        var stopping = new CancellationTokenSource();
        var worker = new TaskHubWorker(service, loggerFactory);
        worker.AddOrchestrationDispatcherMiddleware(new OrchestratorMiddleware(index, invoker, activity, stopping.Token).InvokeAsync);
        worker.AddActivityDispatcherMiddleware(new ActivityMiddleware(index, invoker, activity, stopping.Token).InvokeAsync);

        LoopbackGrpcServer? api = null;
        try
        {
            api = await DurableApiServer.StartAsync(service, service, options, loggerFactory, cancellationToken).ConfigureAwait(false);
            clientBinding.Publish(taskHub, api.Address, httpBaseAddress);
            await worker.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log.Error(Category, $"Durable functions will not run: task hub '{taskHub}' did not start.", exception);
            await (api?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            worker.Dispose();
            loggerFactory.Dispose();
            stopping.Dispose();
            return null;
        }

        log.Info(Category, $"Task hub '{taskHub}' started ({service}, worker id {workerId}, {options.PartitionCount} partitions, "
            + $"polling up to {options.MaxQueuePollingInterval.TotalSeconds:0.###} s): {index.OrchestratorCount} orchestrator(s), "
            + $"{index.ActivityCount} activity function(s); Durable gRPC API at {api.Address}");
        return new DurableEngine(taskHub, worker, api, activity, loggerFactory, stopping, log);
    }

    private static StorageAccountClientProvider CountedStorage(string connectionString, string taskHub, DurableActivity activity)
    {
        var blobs = new BlobClientOptions();
        blobs.AddPolicy(activity.CounterFor(taskHub, "blob"), HttpPipelinePosition.PerRetry);
        var queues = new QueueClientOptions();
        queues.AddPolicy(activity.CounterFor(taskHub, "queue"), HttpPipelinePosition.PerRetry);
        var tables = new TableClientOptions();
        tables.AddPolicy(activity.CounterFor(taskHub, "table"), HttpPipelinePosition.PerRetry);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, blobs),
            StorageServiceClientProvider.ForQueue(connectionString, queues),
            StorageServiceClientProvider.ForTable(connectionString, tables));
    }

    public async ValueTask DisposeAsync()
    {
        // Not waiting for work in flight (a graceful stop spends a second more draining): a step that does not finish
        // is delivered again, whoever runs the hub next. The partitions are released, so that is at once; unless
        // storage is already gone (DTFx then retries for ever), when the leases simply expire in half a minute.
        var stopped = _worker.StopAsync(isForced: true);
        if (await Task.WhenAny(stopped, Task.Delay(StopLimit)).ConfigureAwait(false) != stopped)
        {
            _log.Warn(Category, $"The task hub did not stop within {StopLimit.TotalSeconds:0} s (is storage still up?); leaving its leases to expire.");
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _api.DisposeAsync().ConfigureAwait(false);
        _worker.Dispose();
        _loggerFactory.Dispose();
        _stopping.Dispose();
    }

    // DTFx's partition leases name their owner. The same id after a restart takes them back at once, where a new one
    // waits ~30 s for them to expire: so the id is what makes "the same host", the machine and the app's folder.
    private static string WorkerIdFor(string appDirectory) =>
        $"{Environment.MachineName}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appDirectory)))[..8]}";
}
