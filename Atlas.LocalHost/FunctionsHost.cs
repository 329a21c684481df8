using System.Net;
using Atlas.LocalHost.Configuration;
using Atlas.LocalHost.Durable;
using Atlas.LocalHost.Functions;
using Atlas.LocalHost.Hosting;
using Atlas.LocalHost.Http;
using Atlas.LocalHost.Invocation;
using Atlas.LocalHost.Logging;
using Atlas.LocalHost.Rpc;
using Atlas.LocalHost.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Atlas.LocalHost;

/// <summary>
/// A local Azure Functions host for one .NET isolated worker app: it starts the worker, speaks the Functions
/// host gRPC protocol to it, and runs its HTTP, queue and timer triggers and its Durable functions. A development tool, not the real host:
/// see README.md for what it does not emulate.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private const string Category = "Host";

    private readonly LoopbackGrpcServer _rpcServer;
    private readonly WorkerSupervisor _workers;
    private readonly HttpFrontEnd _frontEnd;
    private readonly HttpMessageInvoker _proxyClient;
    private readonly TriggerListeners _listeners;
    private readonly DurableEngine? _durable;
    private readonly HostReadiness _readiness;
    private readonly HostLog _log;

    private FunctionsHost(
        LoopbackGrpcServer rpcServer,
        WorkerSupervisor workers,
        HttpFrontEnd frontEnd,
        HttpMessageInvoker proxyClient,
        TriggerListeners listeners,
        DurableEngine? durable,
        HostReadiness readiness,
        HostLog log,
        WorkerStartTimings firstWorkerStart)
    {
        _rpcServer = rpcServer;
        _workers = workers;
        _frontEnd = frontEnd;
        _proxyClient = proxyClient;
        _listeners = listeners;
        _durable = durable;
        _readiness = readiness;
        _log = log;
        FirstWorkerStart = firstWorkerStart;
    }

    /// <summary><c>http://localhost:&lt;port&gt;/</c>; HTTP functions are under the route prefix (default <c>api/</c>).</summary>
    public Uri BaseAddress => _frontEnd.BaseAddress;

    /// <summary>The running worker's process id, or null while it restarts.</summary>
    public int? WorkerProcessId => _workers.Current?.Instance.Id;

    /// <summary>The functions the running worker loaded, with their triggers.</summary>
    public IReadOnlyList<ServedFunction> Functions => _workers.Current?.Functions.Select(ServedFunction.Of).ToList() ?? [];

    /// <summary>How long the first worker took from launch to having loaded its functions.</summary>
    public WorkerStartTimings FirstWorkerStart { get; }

    /// <summary>The Durable task hub the host runs, or null when the app has no Durable functions (or they could not start).</summary>
    public string? DurableTaskHub => _durable?.TaskHub;

    /// <summary>The Durable Task gRPC API that <c>[DurableClient]</c> uses (<c>http://127.0.0.1:&lt;port&gt;/</c>, HTTP/2), or null.</summary>
    public Uri? DurableApiAddress => _durable?.ApiAddress;

    /// <summary>Orchestrator episodes, activity runs and storage calls of the Durable engine so far, or null.</summary>
    public DurableActivitySnapshot? DurableActivity => _durable?.Activity;

    /// <summary>Raised after a crashed worker has been replaced and has loaded its functions again.</summary>
    public event Action<int>? WorkerRestarted;

    public static async Task<FunctionsHost> StartAsync(FunctionsHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        var settings = new AppSettings(options.Settings);
        var app = FunctionApp.Load(options.AppDirectory, settings);
        var log = new HostLog(options.Log, new LogLevelFilter(app.HostJson.LogLevels), options.TimeProvider);
        var inFlight = new InFlightInvocations();
        var registry = new WorkerStreamRegistry();

        var rpcServer = await LoopbackGrpcServer.StartAsync<FunctionRpcService>(
            services => services.AddSingleton(registry).AddSingleton(log), cancellationToken).ConfigureAwait(false);
        var launcher = new WorkerLauncher(
            new WorkerStartInfo(app, settings, options.EnvironmentName, rpcServer.Address, options.WorkerStartTimeout),
            options.WorkerRunner,
            registry,
            new RpcLogPrinter(log, inFlight),
            log);
        var workers = new WorkerSupervisor(launcher, log);

        WorkerSession worker;
        try
        {
            worker = await workers.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await workers.DisposeAsync().ConfigureAwait(false);
            await rpcServer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var durableClient = new DurableClientBinding();
        var invoker = new FunctionInvoker(workers, inFlight, durableClient, log);
        var proxyClient = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        });
        var httpInvoker = new HttpTriggerInvoker(workers, invoker, proxyClient);
        var endpoints = new HttpFunctionEndpoints(app.HostJson.RoutePrefix, httpInvoker.HandlerFor);
        endpoints.Publish(worker.Functions);

        // The port is taken first (the client binding names it), but nothing is served until everything is up.
        var readiness = new HostReadiness();
        HttpFrontEnd? frontEnd = null;
        DurableEngine? durable = null;
        try
        {
            frontEnd = await HttpFrontEnd.StartAsync(options.HttpPort, endpoints, readiness, cancellationToken).ConfigureAwait(false);

            // Before the listeners: a timer or queue function may start orchestrations through [DurableClient].
            if (DurableFunctions.AreUsedBy(worker.Functions))
            {
                durable = await DurableEngine.StartAsync(worker.Functions, app, settings, invoker, durableClient, frontEnd.BaseAddress, log, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // Typically the port is taken (or the start was cancelled): leave nothing running behind the exception.
            await (frontEnd?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            proxyClient.Dispose();
            await workers.DisposeAsync().ConfigureAwait(false);
            await rpcServer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var listeners = TriggerListeners.Create(worker.Functions, app, settings, options.TimeProvider, invoker, log, options.RunTriggers);
        var host = new FunctionsHost(rpcServer, workers, frontEnd, proxyClient, listeners, durable, readiness, log, worker.Timings);

        workers.Restarted += session =>
        {
            // Same app, same functions; republishing keeps the routes right should the metadata differ.
            endpoints.Publish(session.Functions);
            host.WorkerRestarted?.Invoke(session.Instance.Id);
        };

        host.PrintFunctions(worker.Functions, app.HostJson.RoutePrefix, settings);
        readiness.Ready();
        return host;
    }

    /// <summary>Receives one batch from every queue trigger's queue and runs the functions on it, settling each
    /// message as the trigger would (delete, retry later, or poison); returns the number of messages taken.</summary>
    public Task<int> PumpQueuesAsync(CancellationToken cancellationToken = default) => _listeners.PumpQueuesAsync(cancellationToken);

    /// <summary>Runs a timer-triggered function now.</summary>
    public Task FireTimerAsync(string functionName, CancellationToken cancellationToken = default) =>
        _listeners.FireTimerAsync(functionName, cancellationToken);

    /// <summary>A Durable Task client on the host's task hub, as <c>[DurableClient]</c> would get it: start, query, raise
    /// events, terminate, purge. The caller disposes it.</summary>
    public DurableTaskClient CreateDurableClient()
    {
        var address = DurableApiAddress ?? throw new InvalidOperationException("The app has no Durable functions running in this host.");
        return new GrpcDurableTaskClient(DurableTaskHub!, new GrpcDurableTaskClientOptions { Address = address.AbsoluteUri }, NullLogger.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _log.Info(Category, "Stopping.");
        _readiness.Stopping();
        await _listeners.DisposeAsync().ConfigureAwait(false);

        // While the worker still runs: the engine lets the steps in flight finish.
        await (_durable?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);

        await _frontEnd.DisposeAsync().ConfigureAwait(false);
        await _workers.DisposeAsync().ConfigureAwait(false);
        await _rpcServer.DisposeAsync().ConfigureAwait(false);
        _proxyClient.Dispose();
    }

    private void PrintFunctions(IReadOnlyList<FunctionDescriptor> functions, string routePrefix, AppSettings settings)
    {
        _log.Info(Category, "Functions:");
        foreach (var function in functions)
        {
            var disabled = settings.IsFunctionDisabled(function.Name) ? " (disabled)" : string.Empty;
            var description = function.Trigger switch
            {
                HttpTriggerBinding http => $"[{(http.Methods.Count == 0 ? "ALL" : string.Join(",", http.Methods.Select(m => m.ToUpperInvariant())))}] {BaseAddress}{HttpFunctionEndpoints.RouteTemplate(routePrefix, function, http)}",
                QueueTriggerBinding queue => $"queueTrigger on '{queue.QueueName}'",
                TimerTriggerBinding timer => $"timerTrigger '{timer.Schedule}'",
                _ => function.Trigger.Type,
            };
            _log.Info(Category, $"    {function.Name}: {description}{disabled}");
        }
    }
}
