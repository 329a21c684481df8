using System.Diagnostics;
using System.Reflection;
using Atlas.LocalHost.Hosting;
using Atlas.LocalHost.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.LocalHost.InProcess;

/// <summary>One run of the app's entry point on a thread of the calling process.</summary>
internal sealed class InProcessWorker : RunningWorker, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private static int _runCount;

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IHost> _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<IHostBuilder> _configure;
    private readonly Dictionary<string, string?> _startupConfiguration;
    private readonly List<IDisposable> _subscriptions = [];
    private Thread? _thread;

    private InProcessWorker(Action<IHostBuilder> configure, IReadOnlyList<string> arguments)
    {
        _configure = configure;
        _startupConfiguration = ToConfiguration(arguments);
        Id = Interlocked.Increment(ref _runCount);
    }

    /// <summary>A run number, not a process id.</summary>
    public override int Id { get; }

    public override Task<int> Exited => _exited.Task;

    /// <summary>The worker's host, once its entry point has built it.</summary>
    public IHost? Host => _built.Task.IsCompletedSuccessfully ? _built.Task.Result : null;

    public static InProcessWorker Start(Assembly app, WorkerLaunch launch, Action<IHostBuilder> configure, WorkerOutput output, Action restore)
    {
        var worker = new InProcessWorker(configure, launch.Arguments);
        worker._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(worker));
        worker._thread = new Thread(() => worker.RunEntryPoint(app, launch, output, restore))
        {
            IsBackground = true,
            Name = $"In-process worker {worker.Id}",
        };
        worker._thread.Start();
        return worker;
    }

    /// <summary>Stops the worker's host without a grace period: the nearest thing to a crash in-process.</summary>
    public override void Kill()
    {
        // Stopping the host fails the invocations in flight (their services are disposed) and they answer so; a
        // crashed process answers nothing: the host reads those answers as a lost worker.
        WasKilled = true;
        if (_built.Task.IsCompletedSuccessfully)
        {
            _ = _built.Task.Result.StopAsync(new CancellationToken(canceled: true));
        }
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.Extensions.Hosting")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        // Every host built in this process raises these (the local host's own Kestrel apps too): only the one
        // built on this worker's thread is the worker's.
        if (Thread.CurrentThread != _thread)
        {
            return;
        }

        switch (value)
        {
            // HostApplicationBuilder passes an IHostBuilder adapter and applies what is done to it before it
            // builds the service provider, so these run after Program's own registrations and can replace them.
            case { Key: "HostBuilding", Value: IHostBuilder builder }:
                builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_startupConfiguration));
                builder.ConfigureServices(services => services.AddSingleton<IHostLifetime, EmbeddedLifetime>());
                _configure(builder);
                break;
            case { Key: "HostBuilt", Value: IHost host }:
                _built.TrySetResult(host);
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(subscription => subscription.Dispose());
                _subscriptions.Clear();
            }
        }
    }

    // The worker maps --functions-* from Environment.GetCommandLineArgs(), the process's own command line, not
    // from Main's args: in-process they reach its configuration this way instead.
    private static Dictionary<string, string?> ToConfiguration(IReadOnlyList<string> arguments)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--functions-uri"] = "Functions:Worker:HostEndpoint",
            ["--functions-request-id"] = "Functions:Worker:RequestId",
            ["--functions-worker-id"] = "Functions:Worker:WorkerId",
            ["--functions-grpc-max-message-length"] = "Functions:Worker:GrpcMaxMessageLength",
        };

        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < arguments.Count; i += 2)
        {
            if (keys.TryGetValue(arguments[i], out var key))
            {
                configuration[key] = arguments[i + 1];
            }
        }

        return configuration;
    }

    private void RunEntryPoint(Assembly app, WorkerLaunch launch, WorkerOutput output, Action restore)
    {
        var exitCode = 0;
        try
        {
            // Program's Main: builds the host (raising HostBuilding and HostBuilt) and blocks in Run() until stopped.
            app.EntryPoint!.Invoke(null, [launch.Arguments.ToArray()]);
        }
        catch (TargetInvocationException exception)
        {
            // What a crashing worker process would have printed on stderr.
            output((exception.InnerException ?? exception).ToString(), isError: true);
            _built.TrySetException(exception.InnerException ?? exception);
            exitCode = 1;
        }
        finally
        {
            Dispose();
            restore();
        }

        // Only now: the supervisor starts the next worker as soon as this one has exited.
        _exited.TrySetResult(exitCode);
    }
}
